// Locates the checkout, its build output and the built-in module folders.
namespace Flux.Resource.Tests;

internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static string Bin => Path.Combine(Root, "artifacts", Configuration);

    public static string Modules => Path.Combine(Bin, "modules");

    /// <summary>Whether the content and kvs modules are built, so that state can persist across restarts.</summary>
    public static bool HasKvs =>
        File.Exists(Path.Combine(Modules, "Flux.Modules.Kvs", "Flux.Modules.Kvs.dll"))
        && File.Exists(Path.Combine(Modules, "Flux.Modules.Content", "Flux.Modules.Content.dll"));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Flux.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("cannot find Flux.sln above " + AppContext.BaseDirectory);
    }
}
