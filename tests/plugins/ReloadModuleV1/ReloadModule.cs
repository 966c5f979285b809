// Test module built twice (v1, v2) under one file name: answers NAME.version with the build it runs.
using Flux.Abstractions;

namespace ReloadModule;

[FluxPlugin("reloadtest", PluginKind.Module)]
public sealed class ReloadModule(IFlux flux) : IFluxModule
{
#if RELOAD_V2
    private const string Version = "v2";
#else
    private const string Version = "v1";
#endif

    public ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        flux.RegisterHandler(MessageType.Request, flux.Name + ".version", msg =>
        {
            flux.Respond(msg, new System.Text.Json.Nodes.JsonObject { ["version"] = Version });
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
