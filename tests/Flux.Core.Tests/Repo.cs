// Locates the checkout, its build output and the shared folder beside it.
namespace Flux.Core.Tests;

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

    public static string TestPlugin(string name)
    {
        var path = Path.Combine(Bin, "testplugins", name, name + ".dll");
        Assert.True(File.Exists(path), $"test plugin {path} is missing: build the solution first (dotnet build Flux.sln -c {Configuration})");
        return path;
    }

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
