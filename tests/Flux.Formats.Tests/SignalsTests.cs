// Signal names and numbers as commands and configuration take them, and strsignal(3) descriptions.
using Flux.Abstractions;

namespace Flux.Formats.Tests;

public sealed class SignalsTests
{
    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("TERM", 15)]
    [InlineData("term", 15)]
    [InlineData("SigUsr1", 10)]
    [InlineData("STKFLT", 16)]
    [InlineData("SIGWINCH", 28)]
    [InlineData("9", 9)]
    [InlineData("64", 64)]
    public void Parse_NamesAndNumbers(string text, int expected)
    {
        Assert.Equal(expected, Signals.Parse(text));
        Assert.True(Signals.TryParse(text, out var n));
        Assert.Equal(expected, n);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-1")]
    [InlineData("SIG")]
    [InlineData("SIGFOO")]
    [InlineData("1.5")]
    public void Parse_Refuses(string text)
    {
        Assert.Null(Signals.Parse(text));
        Assert.False(Signals.TryParse(text, out _));
    }

    [Fact]
    public void NameAndDescribe_AsFluxCorePrintsThem()
    {
        Assert.Equal("SIGKILL", Signals.Name(9));
        Assert.Equal("40", Signals.Name(40));
        Assert.Equal("Killed", Signals.Describe(9));
        Assert.Equal("Terminated", Signals.Describe(15));
        Assert.Equal("Real-time signal 6", Signals.Describe(40));
        Assert.Equal("Signaled 99", Signals.Describe(99));
    }
}
