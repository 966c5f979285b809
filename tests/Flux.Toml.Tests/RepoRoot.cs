// Locates the checkout from the test assembly's folder, for data kept outside the repository.
namespace Flux.Toml.Tests;

internal static class RepoRoot
{
    /// <summary>The nearest ancestor of the test assembly's folder that holds Flux.sln.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Flux.sln")))
            {
                return dir.FullName;
            }
        }
        Assert.Fail($"cannot find the checkout: no Flux.sln in {AppContext.BaseDirectory} or above");
        return string.Empty;
    }
}
