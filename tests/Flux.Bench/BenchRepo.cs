// Where the checkout and its Release build are, for the benchmarks that run the built programs.
namespace Flux.Bench;

internal static class BenchRepo
{
    /// <summary>The checkout: the first folder above the bench program holding Flux.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The Release build the README's commands produce.</summary>
    public static string Bin => Path.Combine(Root, "artifacts", "Release");

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
