// Shared by the test projects: where the checkout, its build output, its built modules and test plugins are.
namespace Flux.Tests.Shared;

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

    /// <summary>The built-in module folder: each module project's output in a folder named after it.</summary>
    public static string Modules => Path.Combine(Bin, "modules");

    /// <summary>The built-in jobtap folder (job-manager loads its builtins from here).</summary>
    public static string Jobtap => Path.Combine(Bin, "jobtap");

    /// <summary>The built-in validator and frobnicator folder (job-ingest loads its plugins from here).</summary>
    public static string Validators => Path.Combine(Bin, "validators");

    /// <summary>Whether the given module projects are built into the module folder.</summary>
    public static bool HasModules(params string[] projects) =>
        projects.All(p => File.Exists(Path.Combine(Modules, p, p + ".dll")));

    /// <summary>A test plugin built by the solution (tests/plugins), never referenced by a test project.</summary>
    public static string TestPlugin(string name)
    {
        var path = Path.Combine(Bin, "testplugins", name, name + ".dll");
        Assert.True(File.Exists(path), $"test plugin {path} is missing: build the solution first (dotnet build Flux.sln -c {Configuration})");
        return path;
    }

    /// <summary>A sample plugin as build.sh builds it (samples/NAME, its NAME.dll in Release).</summary>
    public static string SampleDll(string name)
    {
        var path = Path.Combine(Root, "samples", name, "bin", "Release", "net10.0", name + ".dll");
        Assert.True(File.Exists(path), $"{path} is missing: ./build.sh builds the samples");
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
