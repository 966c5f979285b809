// Listens to the instruments a plugin creates through its own IMeterFactory, once it asks for one, and keeps their current values.
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;

namespace Flux.Client.Plugins;

/// <summary>
/// The values of the instruments created through one plugin's <see cref="IMeterFactory"/> (a meter
/// made by that factory has it as its <see cref="Meter.Scope"/>, so another plugin's instruments, or
/// the runtime's, are not seen). Idle until the plugin first asks for its factory
/// (<see cref="PluginMeterFactory"/> calls <see cref="Listen"/> before it makes any meter, so nothing
/// recorded is missed): a plugin that never asks costs no <see cref="MeterListener"/>. Disposed with
/// the plugin's provider, so a reload starts from zero. Aggregated over every tag set: counters and
/// up-down counters as their sum, <see cref="Gauge{T}"/> as its last value, histograms as count, sum,
/// min and max, observable instruments as the sum of what their callbacks report when
/// <see cref="ToJson"/> asks them (on the caller's thread: a module's stats request runs on the
/// module's loop). Measurements may arrive from any thread.
/// </summary>
public sealed class PluginMetrics : IDisposable
{
    private readonly ConcurrentDictionary<Instrument, Aggregate> _values = new();
    private readonly Lock _collect = new();
    private MeterListener? _listener;
    private bool _disposed;

    /// <summary>Whether the plugin asked for its <see cref="IMeterFactory"/>, so a listener runs.</summary>
    internal bool IsListening => Volatile.Read(ref _listener) is not null;

    /// <summary>Starts listening to the instruments of meters created by <paramref name="factory"/> (once).</summary>
    internal void Listen(IMeterFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        lock (_collect)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_listener is not null)
            {
                throw new InvalidOperationException("PluginMetrics already listens to a meter factory");
            }
            var listener = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (ReferenceEquals(instrument.Meter.Scope, factory))
                    {
                        var aggregate = _values.GetOrAdd(instrument, i => new Aggregate(KindOf(i)));
                        listener.EnableMeasurementEvents(instrument, aggregate);
                    }
                },
                MeasurementsCompleted = (instrument, state) => _values.TryRemove(instrument, out var _),
            };
            listener.SetMeasurementEventCallback<long>(static (_, v, _, s) => ((Aggregate)s!).Record(v));
            listener.SetMeasurementEventCallback<int>(static (_, v, _, s) => ((Aggregate)s!).Record((long)v));
            listener.SetMeasurementEventCallback<short>(static (_, v, _, s) => ((Aggregate)s!).Record((long)v));
            listener.SetMeasurementEventCallback<byte>(static (_, v, _, s) => ((Aggregate)s!).Record((long)v));
            listener.SetMeasurementEventCallback<double>(static (_, v, _, s) => ((Aggregate)s!).Record(v));
            listener.SetMeasurementEventCallback<float>(static (_, v, _, s) => ((Aggregate)s!).Record(v));
            listener.SetMeasurementEventCallback<decimal>(static (_, v, _, s) => ((Aggregate)s!).Record((double)v));
            listener.Start();
            Volatile.Write(ref _listener, listener);
        }
    }

    /// <summary>How many instruments are listened to.</summary>
    public int Count => _values.Count;

    /// <summary>
    /// Adds each instrument's current value to <paramref name="into"/> under <paramref name="prefix"/>
    /// followed by the instrument's name (a number; a histogram an object with <c>count</c>,
    /// <c>sum</c>, <c>min</c>, <c>max</c>). A key already present (a message counter's, or another
    /// meter's instrument of the same name) is written as <c>PREFIX METER/NAME</c> instead. Observable
    /// instruments' callbacks run now, on this thread.
    /// </summary>
    public void ToJson(JsonObject into, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_collect)
        {
            if (_listener is null)
            {
                return;
            }
            foreach (var (instrument, aggregate) in _values)
            {
                if (instrument.IsObservable)
                {
                    aggregate.Reset();
                }
            }
            _listener.RecordObservableInstruments();
            foreach (var (instrument, aggregate) in _values.OrderBy(p => p.Key.Meter.Name, StringComparer.Ordinal).ThenBy(p => p.Key.Name, StringComparer.Ordinal))
            {
                var key = prefix + instrument.Name;
                if (into.ContainsKey(key))
                {
                    key = $"{prefix}{instrument.Meter.Name}/{instrument.Name}";
                }
                into[key] = aggregate.ToJson();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_collect)
        {
            _disposed = true;
            _listener?.Dispose();
        }
    }

    private static InstrumentKind KindOf(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        if (definition == typeof(Histogram<>))
        {
            return InstrumentKind.Histogram;
        }
        if (definition == typeof(Gauge<>))
        {
            return InstrumentKind.Last;
        }
        return InstrumentKind.Sum;
    }

    private enum InstrumentKind
    {
        Sum,
        Last,
        Histogram,
    }

    // Integral instruments (long, int, short, byte) keep exact integers, as flux's own counters are.
    private sealed class Aggregate(InstrumentKind kind)
    {
        private readonly Lock _lock = new();
        private bool _integral = true;
        private long _count;
        private long _isum;
        private long _imin = long.MaxValue;
        private long _imax = long.MinValue;
        private long _ilast;
        private double _sum;
        private double _min = double.PositiveInfinity;
        private double _max = double.NegativeInfinity;
        private double _last;

        public void Record(long value)
        {
            lock (_lock)
            {
                _count++;
                _isum += value;
                _ilast = value;
                _imin = Math.Min(_imin, value);
                _imax = Math.Max(_imax, value);
            }
        }

        public void Record(double value)
        {
            lock (_lock)
            {
                _integral = false;
                _count++;
                _sum += value;
                _last = value;
                _min = Math.Min(_min, value);
                _max = Math.Max(_max, value);
            }
        }

        public void Reset()
        {
            lock (_lock)
            {
                _count = 0;
                _isum = 0;
                _ilast = 0;
                _imin = long.MaxValue;
                _imax = long.MinValue;
                _sum = 0;
                _last = 0;
                _min = double.PositiveInfinity;
                _max = double.NegativeInfinity;
            }
        }

        public JsonNode ToJson()
        {
            lock (_lock)
            {
                return kind switch
                {
                    InstrumentKind.Histogram => new JsonObject
                    {
                        ["count"] = _count,
                        ["sum"] = Pick(_isum, _sum),
                        ["min"] = _count == 0 ? null : Pick(_imin, _min),
                        ["max"] = _count == 0 ? null : Pick(_imax, _max),
                    },
                    InstrumentKind.Last => Pick(_ilast, _last),
                    _ => Pick(_isum, _sum),
                };
            }
        }

        private JsonValue Pick(long integral, double real) => _integral ? JsonValue.Create(integral) : JsonValue.Create(real);
    }
}
