// Tests that parse errors say where (file:line:column, columns in characters) and what was wrong.
using System.Text;

namespace Flux.Toml.Tests;

public sealed class ErrorMessageTests
{
    private static TomlException Fail(string text, string? file = null) =>
        Assert.Throws<TomlException>(() => TomlParser.Parse(Encoding.UTF8.GetBytes(text), file));

    [Fact]
    public void Parse_DuplicateKey_NamesKeyAndFirstLine()
    {
        var ex = Fail("[bootstrap]\nhosts = []\ncurve_cert = \"x\"\n\n  hosts = [\"a\"]\n", "system.toml");

        Assert.Equal("system.toml:5:3: duplicate key 'hosts' (first defined at line 2)", ex.Message);
        Assert.Equal(("system.toml", 5, 3), (ex.FileName, ex.Line, ex.Column));
        Assert.Equal("duplicate key 'hosts' (first defined at line 2)", ex.Reason);
    }

    [Fact]
    public void Parse_NoFileName_UsesInputPlaceholder()
    {
        var ex = Fail("a = 1\na = 2");

        Assert.Equal("<input>:2:1: duplicate key 'a' (first defined at line 1)", ex.Message);
        Assert.Null(ex.FileName);
    }

    [Fact]
    public void Parse_DuplicateTable_NamesTableAndFirstLine()
    {
        var ex = Fail("[kvs]\na = 1\n[kvs]\n");

        Assert.Equal("<input>:3:1: table [kvs] is already defined (first defined at line 1)", ex.Message);
    }

    [Fact]
    public void Parse_DuplicateQuotedDottedKey_SpellsKeyCanonically()
    {
        var ex = Fail("a.\"b c\" = 1\na . 'b c' = 2\n");

        Assert.Equal("<input>:2:5: duplicate key 'a.\"b c\"' (first defined at line 1)", ex.Message);
    }

    [Theory]
    [InlineData("key 1", "<input>:1:5: expected '=' after key, found '1'")]
    [InlineData("a = \"\\x41\"", "<input>:1:6: invalid escape sequence '\\x'")]
    [InlineData("a = 9223372036854775808", "<input>:1:5: integer overflow")]
    [InlineData("a = [1 2]", "<input>:1:8: expected ',' or ']' after an array element, found '2'")]
    [InlineData("a = {b = 1,}", "<input>:1:12: a trailing comma is not allowed in an inline table")]
    [InlineData("a = 2024-02-30", "<input>:1:13: invalid day 30 in date '2024-02-30' (that month has 29 days)")]
    [InlineData("a = 1\r", "<input>:1:6: expected a newline, found control character U+000D")]
    [InlineData("a = \"open", "<input>:1:5: unterminated string")]
    [InlineData("a = value", "<input>:1:5: invalid value 'value'")]
    [InlineData("[a]]", "<input>:1:4: expected a newline after the table header, found ']'")]
    public void Parse_InvalidInput_SaysWhatWasExpected(string text, string expectedStart)
    {
        Assert.StartsWith(expectedStart, Fail(text).Message);
    }

    [Fact]
    public void Parse_InvalidUtf8_NamesTheByte()
    {
        var ex = Assert.Throws<TomlException>(() => TomlParser.Parse("a = \"x"u8.ToArray().Append((byte)0xC3).Append((byte)'"').ToArray()));

        Assert.Equal("<input>:1:7: invalid UTF-8 byte 0xC3", ex.Message);
    }

    [Fact]
    public void Parse_NonAsciiBeforeError_CountsColumnsInCharacters()
    {
        var ex = Fail("a = \"ééé\" x");

        Assert.Equal(11, ex.Column);
    }

    [Fact]
    public void Parse_CrlfAndBom_CountLinesAndColumnsOfContent()
    {
        var ex = Assert.Throws<TomlException>(() => TomlParser.Parse([0xEF, 0xBB, 0xBF, .. "a = 1\r\nb = 2\r\nb = 3"u8]));

        Assert.Equal((3, 1), (ex.Line, ex.Column));
    }

    [Fact]
    public void Parse_ErrorAfterLongMultilineString_ReportsItsLine()
    {
        var ex = Fail("s = \"\"\"\n1\n2\n3\n\"\"\"\nt = \"\"\"\n\n\"\"\" junk");

        Assert.Equal((8, 5), (ex.Line, ex.Column));
    }

    [Fact]
    public void Parse_DottedKeyIntoHeaderTable_ExplainsTheRule()
    {
        var ex = Fail("[a.b]\nx = 1\n[a]\nb.y = 2\n");

        Assert.Equal("<input>:4:1: cannot add to table 'b' with a dotted key: it is defined by a [header] (first defined at line 1)", ex.Message);
    }
}
