// Test module: reads the duration at config key `key=` (default test.period); refuses bad values.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace ConfigCheckModule;

[FluxPlugin("configcheck", PluginKind.Module)]
public sealed class ConfigCheckModule(IFlux flux, ModuleArgs args) : IFluxModule, IConfigurable
{
    private readonly string _key = args.Get("key") ?? "test.period";
    private double _period;

    public ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        _period = flux.Config.GetDuration(_key, 0);
        flux.RegisterHandler(MessageType.Request, "configcheck.get", msg =>
        {
            flux.Respond(msg, new JsonObject { ["period"] = _period, ["handle-period"] = flux.Config.GetDuration(_key, 0) });
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ValidateConfigAsync(FluxConfig proposed, CancellationToken cancellationToken)
    {
        proposed.GetDuration(_key, 0);
        return ValueTask.CompletedTask;
    }

    public ValueTask ApplyConfigAsync(FluxConfig config, CancellationToken cancellationToken)
    {
        _period = config.GetDuration(_key, 0);
        return ValueTask.CompletedTask;
    }
}
