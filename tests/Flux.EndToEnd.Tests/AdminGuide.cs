// The admin guide's TOML examples, read from the reference copy beside the checkout (../shared/reference),
// so a test writes the example exactly as the guide prints it.
using System.Text;

namespace Flux.EndToEnd.Tests;

internal static class AdminGuide
{
    private static readonly string Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(Repo.Root, "..", "shared", "reference", "admin-guide.rst"));

    /// <summary>
    /// The <paramref name="index"/>th <c>.. code-block:: toml</c> of the section titled
    /// <paramref name="section"/>, without the block's one-space indent.
    /// </summary>
    public static string Toml(string section, int index = 0)
    {
        Assert.True(File.Exists(Path), $"the admin guide is missing: expected {Path} (the shared folder beside the checkout {Repo.Root})");
        var lines = File.ReadAllLines(Path);
        var start = Enumerable.Range(0, lines.Length - 1).FirstOrDefault(i => lines[i] == section && lines[i + 1].StartsWith("===", StringComparison.Ordinal), -1);
        Assert.True(start >= 0, $"no section '{section}' in {Path}");
        var seen = 0;
        for (var i = start + 2; i < lines.Length && !(i + 1 < lines.Length && lines[i + 1].StartsWith("===", StringComparison.Ordinal)); i++)
        {
            if (lines[i].Trim() != ".. code-block:: toml" || seen++ != index)
            {
                continue;
            }
            var toml = new StringBuilder();
            for (var j = i + 2; j < lines.Length && (lines[j].Length == 0 || lines[j].StartsWith(' ')); j++)
            {
                toml.Append(lines[j].Length == 0 ? string.Empty : lines[j][1..]).Append('\n');
            }
            return toml.ToString().TrimEnd('\n') + "\n";
        }
        Assert.Fail($"section '{section}' of {Path} has no TOML block {index}");
        return string.Empty;
    }
}
