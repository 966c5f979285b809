// Shared by the test projects: where the checkout, its build output and its built modules are.
namespace Flux.Tests.Shared;

internal static partial class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static string Bin => Path.Combine(Root, "artifacts", Configuration);

    /// <summary>The built-in module folder, checked to hold the given module projects' output.</summary>
    public static string ModuleDir(params string[] projects)
    {
        var dir = Path.Combine(Bin, "modules");
        foreach (var project in projects)
        {
            var dll = Path.Combine(dir, project, project + ".dll");
            Assert.True(File.Exists(dll), $"{dll} is missing: build it first (dotnet build Plugins/Modules/{project} -c {Configuration})");
        }
        return dir;
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
