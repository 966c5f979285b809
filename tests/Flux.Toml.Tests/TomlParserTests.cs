// Tests of the document model the parser builds: typed values, positions, table kinds, order.
using System.Text;

namespace Flux.Toml.Tests;

public sealed class TomlParserTests
{
    private static TomlTable Parse(string text) => TomlParser.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Parse_Integers_AllBasesAndLimits()
    {
        var t = Parse("""
            dec = 1_000_000
            neg = -17
            hex = 0xDEAD_beef
            oct = 0o755
            bin = 0b1101
            max = 9223372036854775807
            min = -9223372036854775808
            hexmax = 0x7FFFFFFFFFFFFFFF
            """);

        long Int(string k) => ((TomlInteger)t[k]).Value;
        Assert.Equal(1_000_000, Int("dec"));
        Assert.Equal(-17, Int("neg"));
        Assert.Equal(0xDEADBEEF, Int("hex"));
        Assert.Equal(493, Int("oct"));
        Assert.Equal(13, Int("bin"));
        Assert.Equal(long.MaxValue, Int("max"));
        Assert.Equal(long.MinValue, Int("min"));
        Assert.Equal(long.MaxValue, Int("hexmax"));
    }

    [Theory]
    [InlineData("a = 9223372036854775808")]
    [InlineData("a = -9223372036854775809")]
    [InlineData("a = 0x8000000000000000")]
    [InlineData("a = 0o1000000000000000000000")]
    [InlineData("a = 99999999999999999999999999")]
    public void Parse_IntegerOutOfRange_ThrowsOverflow(string text)
    {
        var ex = Assert.Throws<TomlException>(() => Parse(text));

        Assert.Contains("integer overflow", ex.Message);
    }

    [Fact]
    public void Parse_Floats_SpecialValuesAndExponents()
    {
        var t = Parse("a = 6.626e-34\nb = -inf\nc = nan\nd = 1_000.5\ne = +1E3\nf = -0.0");

        double F(string k) => ((TomlFloat)t[k]).Value;
        Assert.Equal(6.626e-34, F("a"));
        Assert.Equal(double.NegativeInfinity, F("b"));
        Assert.True(double.IsNaN(F("c")));
        Assert.Equal(1000.5, F("d"));
        Assert.Equal(1000, F("e"));
        Assert.True(double.IsNegative(F("f")));
    }

    [Fact]
    public void Parse_FloatBeyondDoubleRange_Throws()
    {
        var ex = Assert.Throws<TomlException>(() => Parse("a = 1e400"));

        Assert.Contains("out of range", ex.Message);
    }

    [Fact]
    public void Parse_DateTimes_KeepKindAndEveryFractionDigit()
    {
        var t = Parse("""
            odt = 1979-05-27T00:32:00.999999999-07:00
            utc = 1979-05-27 07:32:00z
            ldt = 1979-05-27T07:32:00.5
            ld = 1979-05-27
            lt = 00:32:00.123456789
            leap = 2016-12-31T23:59:60Z
            """);

        var odt = (TomlDateTime)t["odt"];
        Assert.Equal(TomlValueKind.OffsetDateTime, odt.Kind);
        Assert.Equal("999999999", odt.Fraction);
        Assert.Equal(-420, odt.OffsetMinutes);
        Assert.Equal("1979-05-27T00:32:00.999999999-07:00", odt.ToString());
        Assert.Equal(new DateTimeOffset(1979, 5, 27, 0, 32, 0, TimeSpan.FromHours(-7)).AddTicks(9_999_999), odt.ToDateTimeOffset());
        Assert.Equal("1979-05-27T07:32:00Z", t["utc"].ToString());
        Assert.Equal(TomlValueKind.LocalDateTime, t["ldt"].Kind);
        Assert.Equal(new DateTime(1979, 5, 27, 7, 32, 0, 500), ((TomlDateTime)t["ldt"]).ToDateTime());
        Assert.Equal(TomlValueKind.LocalDate, t["ld"].Kind);
        Assert.Equal("1979-05-27", t["ld"].ToString());
        Assert.Equal(TomlValueKind.LocalTime, t["lt"].Kind);
        Assert.Equal(new TimeOnly(0, 32, 0).Add(TimeSpan.FromTicks(1_234_567)), ((TomlDateTime)t["lt"]).ToTimeOnly());
        Assert.Equal(60, ((TomlDateTime)t["leap"]).Second);
    }

    [Fact]
    public void Parse_Strings_DecodeEscapesAndTrimLineEndingBackslash()
    {
        var t = Parse("a = \"tab\\there \\u00e9 \\U0001F600 \\\"q\\\"\"\nb = \"\"\"\n  one \\\n    two\"\"\"\nc = '''\nraw \\n'''\nd = \"\"\"x\"\"\"\"\"");

        Assert.Equal("tab\there é 😀 \"q\"", ((TomlString)t["a"]).Value);
        Assert.Equal("  one two", ((TomlString)t["b"]).Value);
        Assert.Equal("raw \\n", ((TomlString)t["c"]).Value);
        Assert.Equal("x\"\"", ((TomlString)t["d"]).Value);
    }

    [Fact]
    public void Parse_MultilineStringWithCrlf_NormalizesToLf()
    {
        var t = Parse("a = \"\"\"\r\none\r\ntwo\"\"\"\r\nb = '''x\r\ny'''\r\n");

        Assert.Equal("one\ntwo", ((TomlString)t["a"]).Value);
        Assert.Equal("x\ny", ((TomlString)t["b"]).Value);
    }

    [Fact]
    public void Parse_Values_RememberLineAndColumn()
    {
        var t = Parse("# comment\n[server]\n  host = \"é\"\n  ports = [ 80,\n    443 ]\n");
        var server = (TomlTable)t["server"];
        var ports = (TomlArray)server["ports"];

        Assert.Equal((2, 1), (server.Line, server.Column));
        Assert.Equal((3, 10), (server["host"].Line, server["host"].Column));
        Assert.Equal((4, 11), (ports.Line, ports.Column));
        Assert.Equal((5, 5), (ports[1].Line, ports[1].Column));
    }

    [Fact]
    public void Parse_Tables_RecordHowTheyWereDefined()
    {
        var t = Parse("a.b = 1\n[x.y]\n[[arr]]\ninl = { k = 1 }\n");

        Assert.Equal(TomlTableKind.Root, t.Definition);
        Assert.Equal(TomlTableKind.Dotted, ((TomlTable)t["a"]).Definition);
        Assert.Equal(TomlTableKind.Implicit, ((TomlTable)t["x"]).Definition);
        Assert.Equal(TomlTableKind.Header, ((TomlTable)((TomlTable)t["x"])["y"]).Definition);
        var arr = (TomlArray)t["arr"];
        Assert.True(arr.IsArrayOfTables);
        Assert.Equal(TomlTableKind.Inline, ((TomlTable)((TomlTable)arr[0])["inl"]).Definition);
    }

    [Fact]
    public void Parse_DottedKeyIntoImpliedTable_DefinesIt()
    {
        var t = Parse("[a.b.c]\n[a]\nb.d = 1\n[a.b.c.e]\n");
        var b = (TomlTable)((TomlTable)t["a"])["b"];

        Assert.Equal(TomlTableKind.Dotted, b.Definition);
        Assert.Equal(["c", "d"], b.Keys);
        var ex = Assert.Throws<TomlException>(() => Parse("[a.b.c]\n[a]\nb.d = 1\n[a.b]\n"));
        Assert.Contains("table [a.b] is already defined by dotted keys", ex.Message);
    }

    [Fact]
    public void Parse_ManyKeys_KeepDocumentOrderAndLookUp()
    {
        var text = string.Join("\n", Enumerable.Range(0, 50).Select(i => $"k{49 - i} = {i}"));

        var t = Parse(text);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"k{49 - i}"), t.Keys);
        Assert.Equal(49, ((TomlInteger)t["k0"]).Value);
        Assert.False(t.ContainsKey("k50"));
        Assert.Equal(50, t.Values.Count());
    }

    [Fact]
    public void Parse_ByteOrderMarkAndCrlf_Accepted()
    {
        var t = TomlParser.Parse([0xEF, 0xBB, 0xBF, .. "a = 1\r\nb = 2\r\n"u8]);

        Assert.Equal(2, t.Count);
        Assert.Equal((2, 5), (t["b"].Line, t["b"].Column));
    }
}
