// Large inputs shaped to trip a non-linear parser (long lines, long strings, many tables, late errors) must still finish.
using System.Text;

namespace Flux.Toml.Tests;

public sealed class LinearityTests
{
    private const int Count = 200_000;

    [Theory]
    [InlineData("one long line of values")]
    [InlineData("one long line of non-ASCII strings")]
    [InlineData("quote runs in a multi-line string")]
    [InlineData("apostrophe runs in a multi-line literal")]
    [InlineData("escapes")]
    [InlineData("many tables")]
    [InlineData("many array-of-tables elements")]
    [InlineData("many keys in one table")]
    [InlineData("many dotted keys")]
    [InlineData("error at the end of a long document")]
    [InlineData("error deep in a long line")]
    public void Parse_LargePathologicalInput_Completes(string shape)
    {
        var text = Build(shape);
        try
        {
            Assert.NotNull(TomlParser.Parse(Encoding.UTF8.GetBytes(text)));
            Assert.False(shape.StartsWith("error", StringComparison.Ordinal), $"{shape}: accepted");
        }
        catch (TomlException ex)
        {
            Assert.True(shape.StartsWith("error", StringComparison.Ordinal), $"{shape}: {ex.Message}");
        }
    }

    private static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    private static string Build(string shape) => shape switch
    {
        "one long line of values" => "a = [" + Repeat("1, ", Count) + "]",
        "one long line of non-ASCII strings" => "a = [" + Repeat("\"é\", ", Count) + "]",
        "quote runs in a multi-line string" => "a = \"\"\"" + Repeat("\"\"x", Count) + "\"\"\"",
        "apostrophe runs in a multi-line literal" => "a = '''" + Repeat("''x", Count) + "'''",
        "escapes" => "a = \"" + Repeat("\\u00e9\\n", Count) + "\"",
        "many tables" => string.Concat(Enumerable.Range(0, Count / 4).Select(i => $"[t{i}]\nk = {i}\n")),
        "many array-of-tables elements" => Repeat("[[a.b]]\nk = 1\n", Count / 4),
        "many keys in one table" => string.Concat(Enumerable.Range(0, Count / 4).Select(i => $"k{i} = {i}\n")),
        "many dotted keys" => string.Concat(Enumerable.Range(0, Count / 4).Select(i => $"a.b{i % 100}.c{i} = 1\n")),
        "error at the end of a long document" => "k = [1]\n" + Repeat("# comment\n", Count) + "k = 2",
        "error deep in a long line" => "a = [" + Repeat("1, ", Count) + "x]",
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };
}
