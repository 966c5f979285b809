// Test module: answers yaml13.version with the YamlDotNet version it loaded and a YAML round trip.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using YamlDotNet.Serialization;

namespace YamlV13Module;

[FluxPlugin("yaml13", PluginKind.Module)]
public sealed class YamlV13Module(IFlux flux) : IFluxModule
{
    public ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        flux.RegisterHandler(MessageType.Request, "yaml13.version", msg =>
        {
            var asm = typeof(Deserializer).Assembly;
            var parsed = new Deserializer().Deserialize<Dictionary<string, string>>("key: value13");
            flux.Respond(msg, new JsonObject
            {
                ["version"] = asm.GetName().Version?.ToString(),
                ["context"] = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(asm)?.Name,
                ["value"] = parsed["key"],
            });
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
