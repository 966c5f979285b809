// flux-broker's options (and flux start --broker-opts), read by one parser.
using Flux.Core.Broker;

namespace Flux.Core.Tests;

public sealed class BrokerOptionsTests
{
    [Fact]
    public void ParseArgs_EveryForm_StopsAtTheProgram()
    {
        var o = new BrokerOptions();
        string[] args = ["-c", "/etc/a", "-Sa=1", "-S", "b=2=x", "--setattr=c=", "--setattr", "d=4", "--config-path=/etc/b", "flux", "-S", "e=5"];
        var first = o.ParseArgs(args);
        Assert.Equal(9, first);
        Assert.Equal("/etc/b", o.ConfigPath);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2=x", ["c"] = "", ["d"] = "4" }, o.Attributes);
    }

    [Fact]
    public void ParseArgs_DoubleDash_EndsOptions()
    {
        var o = new BrokerOptions();
        Assert.Equal(2, o.ParseArgs(["-cX", "--", "-S", "not=an-option"]));
        Assert.Equal("X", o.ConfigPath);
        Assert.Empty(o.Attributes);
    }

    [Fact]
    public void ParseArgs_UnknownOption_IsLeftForTheCaller()
    {
        Assert.Equal(1, new BrokerOptions().ParseArgs(["-Sa=1", "--bogus", "x"]));
    }

    [Theory]
    [InlineData("-S", "option '-S' requires an argument")]
    [InlineData("--config-path", "option '--config-path' requires an argument")]
    [InlineData("-Snovalue", "-S 'novalue': expected KEY=VALUE")]
    [InlineData("-S=v", "-S '=v': expected KEY=VALUE")]
    public void ParseArgs_Bad_SaysWhat(string arg, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => new BrokerOptions().ParseArgs([arg]));
        Assert.Equal(message, ex.Message);
    }
}
