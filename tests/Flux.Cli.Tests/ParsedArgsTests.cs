// Typed option values: integers in a range and durations (seconds or RFC 23 FSD), with their usage errors.
namespace Flux.Cli.Tests;

public sealed class ParsedArgsTests
{
    private static ParsedArgs With(string name, string value)
    {
        var a = new ParsedArgs { Prog = "flux-test" };
        a.Add(name, value);
        return a;
    }

    [Fact]
    public void GetInt_MissingOption_IsTheDefault() => Assert.Equal(9, new ParsedArgs { Prog = "p" }.GetInt("count", 9));

    [Fact]
    public void GetInt_InRange_IsTheValue() => Assert.Equal(12, With("count", "12").GetInt("count", 0, 1, 31));

    [Theory]
    [InlineData("x", 1, int.MaxValue, "--count: expected an integer >= 1, got 'x'")]
    [InlineData("0", 1, int.MaxValue, "--count: expected an integer >= 1, got '0'")]
    [InlineData("32", 0, 31, "--count: expected an integer from 0 to 31, got '32'")]
    public void GetInt_BadValue_NamesTheOptionAndTheRange(string value, int min, int max, string message)
    {
        var ex = Assert.Throws<UsageException>(() => With("count", value).GetInt("count", 0, min, max));
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("2.5", 2.5)]
    [InlineData("1m", 60)]
    [InlineData("2h", 7200)]
    public void GetSeconds_NumberOrFsd_IsSeconds(string value, double seconds) =>
        Assert.Equal(seconds, With("timeout", value).GetSeconds("timeout", -1));

    [Fact]
    public void GetSeconds_BadValue_IsAUsageErrorNamingTheOption()
    {
        var ex = Assert.Throws<UsageException>(() => With("timeout", "soon").GetSeconds("timeout", -1));
        Assert.StartsWith("--timeout: ", ex.Message, StringComparison.Ordinal);
    }
}
