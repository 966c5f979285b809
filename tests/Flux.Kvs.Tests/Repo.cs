// Locates the checkout and the built modules (artifacts/CONFIGURATION/modules).
namespace Flux.Kvs.Tests;

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

    public static string Modules
    {
        get
        {
            var dir = Path.Combine(Bin, "modules");
            foreach (var m in new[] { "Flux.Modules.Content", "Flux.Modules.Kvs" })
            {
                var dll = Path.Combine(dir, m, m + ".dll");
                Assert.True(File.Exists(dll), $"{dll} is missing: build the modules first (dotnet build Plugins/Modules/{m} -c {Configuration})");
            }
            return dir;
        }
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
