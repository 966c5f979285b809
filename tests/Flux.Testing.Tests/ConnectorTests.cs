// FluxTestInstance.ConnectAsync<TConnector>: a connector under test opens the in-process instance.
using Flux.Abstractions;

namespace Flux.Testing.Tests;

public sealed class ConnectorTests
{
    private static FluxTestOptions Options()
    {
        var o = new FluxTestOptions();
        o.ModulePath.Add(Repo.Modules);
        return o;
    }

    [Fact]
    public async Task ConnectThroughConnector_WrapsTheInstanceUri_RequestsArriveAsItSays()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var h = await instance.ConnectAsync<GuestConnector>($"guest:?userid=4242&uri={instance.Uri}");
        var pong = await h.RpcAsync("kvs.ping");
        Assert.Equal(4242, pong!["userid"]!.GetValue<long>());
    }

    [Fact]
    public async Task ConnectThroughConnector_UriOfAnotherScheme_IsRefusedNamingTheScheme()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => instance.ConnectAsync<GuestConnector>(instance.Uri));
        Assert.Contains("is not a URI of connector GuestConnector's scheme 'guest' (expected guest:...)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectThroughConnector_ConnectorRefuses_ItsErrorReachesTheTest()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options());
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.ConnectAsync<GuestConnector>("guest:?user=1"));
        Assert.Equal("guest:?user=1: expected guest:?userid=N&uri=URI", ex.Message);
    }
}
