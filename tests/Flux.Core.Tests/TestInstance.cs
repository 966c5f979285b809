// An in-process broker reached over loop://, for integration tests without sockets or processes.
using Flux.Core.Broker;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Core.Tests;

internal sealed class TestInstance : IAsyncDisposable
{
    private static int _next;

    private TestInstance(Broker.Broker broker, string name)
    {
        Broker = broker;
        Name = name;
    }

    public Broker.Broker Broker { get; }

    public string Name { get; }

    public string Uri => "loop://" + Name;

    public static async Task<TestInstance> StartAsync(bool listen = false, string? configPath = null)
    {
        var name = $"test{Interlocked.Increment(ref _next)}-{Environment.ProcessId}";
        var options = new BrokerOptions { LoopName = name, Listen = listen, Rc1Modules = [], ConfigPath = configPath };
        var broker = new Broker.Broker(options);
        await broker.StartAsync();
        return new TestInstance(broker, name);
    }

    public Task<FluxHandle> ConnectAsync(uint? asUser = null) =>
        FluxConnect.OpenAsync(asUser is { } u ? $"{Uri}?userid={u}" : Uri);

    public async ValueTask DisposeAsync() => await Broker.DisposeAsync();
}
