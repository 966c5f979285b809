// The broker.* attributes: defaults from the descriptor limit, values checked, unknown names refused.
using Flux.Abstractions;
using Flux.Core.Broker;

namespace Flux.Core.Tests;

public sealed class BrokerLimitsTests
{
    [Fact]
    public void Defaults_FollowTheDescriptorLimit()
    {
        Assert.Equal(768, new BrokerLimits(1024).MaxClients);
        Assert.Equal(BrokerLimits.DefaultMaxClients, new BrokerLimits(1 << 20).MaxClients);
        var d = new BrokerLimits(1024);
        Assert.Equal(32L << 20, d.ClientQueueLimit);
        Assert.Equal(TimeSpan.FromSeconds(60), d.ModuleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), d.ShutdownGrace);
    }

    [Theory]
    [InlineData("broker.max-clients", "0", "broker.max-clients: expected an integer from 1")]
    [InlineData("broker.max-clients", "ten", "broker.max-clients: expected an integer from 1")]
    [InlineData("broker.client-queue-limit", "100", "broker.client-queue-limit: expected an integer from 65536")]
    [InlineData("broker.module-timeout", "0", "broker.module-timeout: expected a duration greater than 0")]
    [InlineData("broker.module-timeout", "50d", "broker.module-timeout: at most 49d")]
    [InlineData("broker.shutdown-grace", "soon", "broker.shutdown-grace: expected a duration")]
    [InlineData("broker.max-client", "5", "unknown broker attribute 'broker.max-client'")]
    public void Set_BadValueOrName_IsEinvalSayingWhich(string name, string value, string message)
    {
        var ex = Assert.Throws<FluxException>(() => new BrokerLimits(1024).Set(name, value));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_Values_AreParsed()
    {
        var l = new BrokerLimits(1024);
        l.Set("broker.max-clients", "5");
        l.Set("broker.client-queue-limit", "1048576");
        l.Set("broker.module-timeout", "inf");
        l.Set("broker.shutdown-grace", "1.5m");
        Assert.Equal(5, l.MaxClients);
        Assert.Equal(1L << 20, l.ClientQueueLimit);
        Assert.Equal(Timeout.InfiniteTimeSpan, l.ModuleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(90), l.ShutdownGrace);
    }

    [Fact]
    public async Task Start_WithLimits_PublishesThemAsImmutableAttributes()
    {
        await using var inst = await TestInstance.StartAsync(new InstanceOptions
        {
            Attributes = new Dictionary<string, string> { ["broker.max-clients"] = "7", ["broker.module-timeout"] = "90s" },
        });
        await using var h = await inst.ConnectAsync();
        Assert.Equal("7", await h.GetAttrAsync("broker.max-clients"));
        Assert.Equal("1.5m", await h.GetAttrAsync("broker.module-timeout"));
        Assert.Equal("30s", await h.GetAttrAsync("broker.shutdown-grace"));
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("attr.set", new System.Text.Json.Nodes.JsonObject { ["name"] = "broker.max-clients", ["value"] = "9" }));
        Assert.Equal(Errno.EPERM, ex.Errnum);
    }

    [Fact]
    public async Task Start_UnknownBrokerAttribute_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<FluxException>(() => TestInstance.StartAsync(new InstanceOptions
        {
            Attributes = new Dictionary<string, string> { ["broker.module-timout"] = "5s" },
        }));
        Assert.Contains("unknown broker attribute 'broker.module-timout'", ex.Message, StringComparison.Ordinal);
    }
}
