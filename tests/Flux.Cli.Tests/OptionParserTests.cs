// getopt_long-style parsing of flux command lines: every form of option, and the errors getopt reports.
namespace Flux.Cli.Tests;

public sealed class OptionParserTests
{
    private static readonly OptionSpec[] Specs =
    [
        new("count", 'c', "N", "Count."),
        new("verbose", 'v', null, "Verbose.", Repeatable: true),
        new("all", 'a', null, "All."),
        new("name", null, "NAME", "Name."),
        new("namespace", 'N', "NS", "Namespace."),
    ];

    private static ParsedArgs Parse(params string[] args) => OptionParser.Parse("flux-test", Specs, args, stopAtPositional: false);

    [Fact]
    public void Parse_LongForms_TakeTheirValueAttachedOrNext()
    {
        var a = Parse("--count=3", "--name", "x", "pos");
        Assert.Equal("3", a.Get("count"));
        Assert.Equal("x", a.Get("name"));
        Assert.Equal(["pos"], a.Positionals);
    }

    [Fact]
    public void Parse_ShortForms_BundledFlagsAndAttachedOrNextValue()
    {
        var a = Parse("-va", "-c5", "-N", "ns");
        Assert.True(a.Has("verbose"));
        Assert.True(a.Has("all"));
        Assert.Equal("5", a.Get("count"));
        Assert.Equal("ns", a.Get("namespace"));
        Assert.Equal("7", Parse("-avc7").Get("count"));
    }

    [Fact]
    public void Parse_RepeatedOption_KeepsEveryValueAndTheLastWins()
    {
        var a = Parse("-vv", "--count=1", "--count=2");
        Assert.Equal(2, a.GetAll("verbose").Count);
        Assert.Equal("2", a.Get("count"));
        Assert.Equal(["1", "2"], a.GetAll("count"));
    }

    [Fact]
    public void Parse_DoubleDash_EndsOptions()
    {
        var a = Parse("--all", "--", "--count=1", "-v");
        Assert.True(a.Has("all"));
        Assert.False(a.Has("count"));
        Assert.Equal(["--count=1", "-v"], a.Positionals);
    }

    [Fact]
    public void Parse_NegativeNumber_IsAPositional()
    {
        Assert.Equal(["-5"], Parse("-5").Positionals);
    }

    [Fact]
    public void Parse_UniquePrefix_SelectsTheOption_AmbiguousOneIsUnrecognized()
    {
        Assert.Equal("4", Parse("--cou=4").Get("count"));
        Assert.Equal("ns", Parse("--names", "ns").Get("namespace"));
        var ex = Assert.Throws<UsageException>(() => Parse("--nam=x"));
        Assert.Equal("unrecognized option '--nam'", ex.Message);
    }

    [Fact]
    public void Parse_StopAtPositional_LeavesTheCommandsOptionsAlone()
    {
        var a = OptionParser.Parse("flux-test", Specs, ["-v", "cmd", "-c", "1"], stopAtPositional: true);
        Assert.True(a.Has("verbose"));
        Assert.False(a.Has("count"));
        Assert.Equal(["cmd", "-c", "1"], a.Positionals);
    }

    [Theory]
    [InlineData("--bogus", "unrecognized option '--bogus'")]
    [InlineData("-z", "invalid option -- 'z'")]
    [InlineData("--count", "option '--count' requires an argument")]
    [InlineData("-c", "option requires an argument -- 'c'")]
    [InlineData("--all=1", "option '--all' doesn't allow an argument")]
    public void Parse_BadOption_IsTheGetoptMessage(string arg, string message)
    {
        var ex = Assert.Throws<UsageException>(() => Parse(arg));
        Assert.Equal(message, ex.Message);
    }
}
