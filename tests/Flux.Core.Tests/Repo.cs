// Test plugins built by the solution, for the module host tests.
namespace Flux.Tests.Shared;

internal static partial class Repo
{
    public static string TestPlugin(string name)
    {
        var path = Path.Combine(Bin, "testplugins", name, name + ".dll");
        Assert.True(File.Exists(path), $"test plugin {path} is missing: build the solution first (dotnet build Flux.sln -c {Configuration})");
        return path;
    }
}
