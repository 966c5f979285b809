// Locates the checkout and its build output (artifacts/<Configuration>/).
namespace Flux.JobList.Tests;

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

    /// <summary>The built-in module folder, checked to hold a module project's output.</summary>
    public static string ModuleDir(string project)
    {
        var dir = Path.Combine(Bin, "modules");
        var dll = Path.Combine(dir, project, project + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build it first (dotnet build Plugins/Modules/{project} -c {Configuration})");
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
