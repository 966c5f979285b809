// A plugin's IMeterFactory: meters scoped to it, started listening to (PluginMetrics) only when the plugin first asks for one.
using System.Diagnostics.Metrics;

namespace Flux.Client.Plugins;

/// <summary>
/// The <see cref="IMeterFactory"/> a plugin's provider offers: as Microsoft.Extensions.Diagnostics'
/// default factory, each meter it makes has it as <see cref="Meter.Scope"/>, a meter asked for again
/// with the same name, version and tags is the same one, and disposing it disposes its meters. It is
/// created when the plugin first asks for it, and that is when <see cref="PluginMetrics"/> starts
/// listening: a plugin that never asks starts no <see cref="MeterListener"/> (which registers with the
/// runtime's global list of listeners and is told of every instrument any meter publishes: a cost a
/// job's shell plugins would otherwise pay once per job).
/// </summary>
internal sealed class PluginMeterFactory : IMeterFactory
{
    private readonly Lock _lock = new();
    private readonly List<Meter> _meters = [];
    private bool _disposed;

    public PluginMeterFactory(PluginMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        // Before any meter exists: nothing the plugin records through this factory is missed.
        metrics.Listen(this);
    }

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Scope is not null && !ReferenceEquals(options.Scope, this))
        {
            throw new InvalidOperationException($"meter {options.Name}: MeterOptions.Scope must be unset or this factory");
        }
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var tags = Normalize(options.Tags);
            foreach (var m in _meters)
            {
                if (m.Name == options.Name && m.Version == options.Version && Normalize(m.Tags).SequenceEqual(tags))
                {
                    return m;
                }
            }
            options.Scope = this;
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }
    }

    public void Dispose()
    {
        Meter[] meters;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            meters = [.. _meters];
            _meters.Clear();
        }
        foreach (var m in meters)
        {
            m.Dispose();
        }
    }

    private static List<KeyValuePair<string, object?>> Normalize(IEnumerable<KeyValuePair<string, object?>>? tags) =>
        tags is null ? [] : [.. tags.OrderBy(t => t.Key, StringComparer.Ordinal)];
}
