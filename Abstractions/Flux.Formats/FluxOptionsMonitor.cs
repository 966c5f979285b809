// One plugin's options of type T: the value bound at load, the current value, and its change listeners.
using System.Diagnostics.CodeAnalysis;
using Flux.Abstractions;
using Microsoft.Extensions.Options;

namespace Flux.Formats;

[RequiresUnreferencedCode("binds T by reflection")]
[RequiresDynamicCode("binds T by reflection")]
internal sealed class FluxOptionsMonitor<T> : IOptions<T>, IOptionsMonitor<T>, IFluxOptionsBinding
    where T : class
{
    private readonly bool _allowUnknownKeys;
    private readonly Lock _lock = new();
    private readonly List<Listener> _listeners = [];
    private volatile T _current;

    public FluxOptionsMonitor(FluxConfig config, string table, bool allowUnknownKeys)
    {
        Table = table;
        _allowUnknownKeys = allowUnknownKeys;
        Value = config.Bind<T>(table, allowUnknownKeys);
        _current = Value;
    }

    public string Table { get; }

    public Type OptionsType => typeof(T);

    // IOptions<T>: the value at load, as Microsoft.Extensions.Options' IOptions<T> is computed once.
    public T Value { get; }

    public T CurrentValue => _current;

    public T Get(string? name) => string.IsNullOrEmpty(name)
        ? _current
        : throw new ArgumentException($"IOptionsMonitor<{typeof(T).Name}>.Get(\"{name}\"): AddFluxOptions binds only the default (unnamed) options of [{Table}]", nameof(name));

    public IDisposable? OnChange(Action<T, string?> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var l = new Listener(this, listener);
        lock (_lock)
        {
            _listeners.Add(l);
        }
        return l;
    }

    public object Bind(FluxConfig config) => config.Bind<T>(Table, _allowUnknownKeys);

    public void Publish(object value)
    {
        _current = (T)value;
        Listener[] listeners;
        lock (_lock)
        {
            listeners = [.. _listeners];
        }
        foreach (var l in listeners)
        {
            l.Invoke(_current);
        }
    }

    private sealed class Listener(FluxOptionsMonitor<T> owner, Action<T, string?> action) : IDisposable
    {
        public void Invoke(T value) => action(value, Options.DefaultName);

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._listeners.Remove(this);
            }
        }
    }
}
