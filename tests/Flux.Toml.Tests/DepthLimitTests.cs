// Tests that nesting beyond TomlParser.MaxDepth is a TomlException however it is built, never a stack overflow.
using System.Text;

namespace Flux.Toml.Tests;

public sealed class DepthLimitTests
{
    private const int Deep = 100_000;

    private static TomlException Fail(string text) =>
        Assert.Throws<TomlException>(() => TomlParser.Parse(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Parse_DeeplyNestedArrays_ThrowsTomlException()
    {
        var ex = Fail("a = " + new string('[', Deep) + new string(']', Deep));

        Assert.Contains("nesting is too deep", ex.Message);
    }

    [Fact]
    public void Parse_UnclosedDeepArrays_ThrowsTomlException()
    {
        Fail("a = " + new string('[', Deep));
    }

    [Fact]
    public void Parse_DeeplyNestedInlineTables_ThrowsTomlException()
    {
        var ex = Fail("a = " + string.Concat(Enumerable.Repeat("{b = ", Deep)) + "1" + new string('}', Deep));

        Assert.Contains("nesting is too deep", ex.Message);
    }

    [Fact]
    public void Parse_LongDottedKey_ThrowsTomlException()
    {
        var ex = Fail(string.Join('.', Enumerable.Repeat("k", Deep)) + " = 1");

        Assert.Contains("nesting is too deep", ex.Message);
    }

    [Fact]
    public void Parse_LongTableHeader_ThrowsTomlException()
    {
        var ex = Fail("[" + string.Join('.', Enumerable.Repeat("k", Deep)) + "]");

        Assert.Contains("nesting is too deep", ex.Message);
    }

    [Fact]
    public void Parse_NestingAtTheLimit_Succeeds()
    {
        var arrays = "a = " + new string('[', TomlParser.MaxDepth) + new string(']', TomlParser.MaxDepth);
        var keys = string.Join('.', Enumerable.Repeat("k", TomlParser.MaxDepth + 1)) + " = 1";

        TomlParser.Parse(Encoding.UTF8.GetBytes(arrays));
        TomlParser.Parse(Encoding.UTF8.GetBytes(keys));
        Fail("a = " + new string('[', TomlParser.MaxDepth + 1) + new string(']', TomlParser.MaxDepth + 1));
    }

    [Fact]
    public void Parse_MixedNestingOverTheLimit_ThrowsTomlException()
    {
        var header = "[" + string.Join('.', Enumerable.Repeat("t", 110)) + "]\n";
        var value = "x.y = " + new string('[', 20) + "{z = [1]}" + new string(']', 20);

        Fail(header + value);
    }
}
