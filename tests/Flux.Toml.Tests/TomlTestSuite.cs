// Finds the toml-test data beside the checkout (../shared/toml-test) and lists its TOML 1.0.0 cases.
namespace Flux.Toml.Tests;

internal static class TomlTestSuite
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The toml-test folder; fails the calling test with a clear message when it is missing.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>Relative paths (with '/') of the valid cases' .toml files listed in files-toml-1.0.0.</summary>
    public static IReadOnlyList<string> ValidCases => List("valid/");

    /// <summary>Relative paths of the invalid cases listed in files-toml-1.0.0.</summary>
    public static IReadOnlyList<string> InvalidCases => List("invalid/");

    public static byte[] Read(string relative) => File.ReadAllBytes(Path.Combine(Root, relative));

    private static List<string> List(string prefix) =>
        File.ReadAllLines(Path.Combine(Root, "files-toml-1.0.0"))
            .Where(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.EndsWith(".toml", StringComparison.Ordinal))
            .ToList();

    private static string FindRoot()
    {
        var repo = RepoRoot.Find();
        var suite = Path.GetFullPath(Path.Combine(repo, "..", "shared", "toml-test"));
        if (!File.Exists(Path.Combine(suite, "files-toml-1.0.0")))
        {
            Assert.Fail($"toml-test data not found: expected {suite}/files-toml-1.0.0 (the shared folder beside the checkout {repo})");
        }
        return suite;
    }
}
