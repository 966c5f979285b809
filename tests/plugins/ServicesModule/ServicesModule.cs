// Test module: its own service and [services] options through IPluginServices, and instruments through IMeterFactory.
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServicesModule;

public sealed class ServicesSettings
{
    public string Greeting { get; set; } = "hello";

    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>A service the module registers itself and takes in its constructor.</summary>
public sealed class Greeter(IOptionsMonitor<ServicesSettings> settings)
{
    public string Greet(string name) => $"{settings.CurrentValue.Greeting}, {name}";
}

[FluxPlugin("services", PluginKind.Module)]
public sealed class ServicesModule : IFluxModule, IPluginServices, IDisposable
{
    private readonly IFlux _flux;
    private readonly Greeter _greeter;
    private readonly IOptions<ServicesSettings> _atLoad;
    private readonly IOptionsMonitor<ServicesSettings> _settings;
    private readonly Counter<long> _greetings;
    private readonly Histogram<double> _sizes;
    private readonly UpDownCounter<int> _open;
    private readonly IDisposable? _subscription;
    private readonly List<string> _changes = [];
    private int _depth = 7;

    public ServicesModule(IFlux flux, Greeter greeter, IOptions<ServicesSettings> atLoad, IOptionsMonitor<ServicesSettings> settings, IMeterFactory meters)
    {
        _flux = flux;
        _greeter = greeter;
        _atLoad = atLoad;
        _settings = settings;
        var meter = meters.Create("ServicesModule");
        _greetings = meter.CreateCounter<long>("greetings");
        _sizes = meter.CreateHistogram<double>("name-length");
        _open = meter.CreateUpDownCounter<int>("open");
        meter.CreateObservableGauge("depth", () => _depth);
        // Counted in the constructor: the host listens before the module exists.
        _greetings.Add(1);
        _subscription = settings.OnChange((value, _) => _changes.Add(value.Greeting));
    }

    public static void ConfigureServices(IServiceCollection services)
    {
        services.AddFluxOptions<ServicesSettings>("services");
        services.AddSingleton<Greeter>();
    }

    public ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        _flux.RegisterHandler(MessageType.Request, "services.greet", msg =>
        {
            var name = msg.GetJsonOrNull()?["name"]?.GetValue<string>() ?? "world";
            _greetings.Add(1);
            _sizes.Record(name.Length);
            _open.Add(2);
            _open.Add(-1);
            _depth = name.Length * 10;
            _flux.Respond(msg, new JsonObject { ["greeting"] = _greeter.Greet(name) });
            return ValueTask.CompletedTask;
        });
        _flux.RegisterHandler(MessageType.Request, "services.get", msg =>
        {
            _flux.Respond(msg, new JsonObject
            {
                ["greeting"] = _settings.CurrentValue.Greeting,
                ["period"] = _settings.CurrentValue.Period.TotalSeconds,
                ["at-load"] = _atLoad.Value.Greeting,
                ["changes"] = new JsonArray([.. _changes.Select(c => (JsonNode)c)]),
            });
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _subscription?.Dispose();
}
