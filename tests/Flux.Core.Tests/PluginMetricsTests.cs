// A plugin's meters: no listener for a plugin that never asks for IMeterFactory; one that asks has its instruments reported.
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Flux.Client.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Flux.Core.Tests;

public sealed class PluginMetricsTests
{
    [Fact]
    public async Task Create_PluginWithoutMeters_NoListenerAndNothingReported()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var (_, provider) = PluginActivator.Create(typeof(Quiet), h, []);
        using (provider)
        {
            var metrics = provider.GetRequiredService<PluginMetrics>();
            Assert.False(metrics.IsListening);
            var stats = new JsonObject();
            metrics.ToJson(stats);
            Assert.Empty(stats);
            Assert.False(metrics.IsListening);
        }
    }

    [Fact]
    public async Task Create_PluginAsksForMeterFactory_ListensFromBeforeItsFirstMeter()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var (instance, provider) = PluginActivator.Create(typeof(Counting), h, []);
        using (provider)
        {
            var metrics = provider.GetRequiredService<PluginMetrics>();
            Assert.True(metrics.IsListening);
            Assert.IsType<Counting>(instance).Count(2);
            var stats = new JsonObject();
            metrics.ToJson(stats, "p/");
            // The constructor's 1, then 2.
            Assert.Equal(3, stats["p/counted"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task MeterFactory_SameNameVersionAndTags_SameMeter()
    {
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        var (_, provider) = PluginActivator.Create(typeof(Quiet), h, []);
        using (provider)
        {
            var factory = provider.GetRequiredService<IMeterFactory>();
            var a = factory.Create(new MeterOptions("M") { Tags = [new("x", 1), new("y", 2)] });
            Assert.Same(a, factory.Create(new MeterOptions("M") { Tags = [new("y", 2), new("x", 1)] }));
            Assert.NotSame(a, factory.Create("M", "2.0"));
            Assert.Same(factory, a.Scope);
            Assert.True(provider.GetRequiredService<PluginMetrics>().IsListening);
        }
    }

#pragma warning disable CA1812 // constructed by PluginActivator, through the service provider
    private sealed class Quiet;

    private sealed class Counting
    {
        private readonly Counter<long> _counter;

        public Counting(IMeterFactory meters)
        {
            _counter = meters.Create("Counting").CreateCounter<long>("counted");
            _counter.Add(1);
        }

        public void Count(long n) => _counter.Add(n);
    }
#pragma warning restore CA1812
}
