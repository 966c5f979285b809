// Test jobtap plugin "jobtap-order": for every topic it records the topic and the OUT "chain" the plugins before it left,
// then appends its name to that chain, so a test sees the load order and which topics reached it.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace JobtapOrderPlugin;

[FluxPlugin("jobtap-order", PluginKind.Jobtap)]
public sealed class OrderPlugin : IFluxPlugin
{
    private readonly JsonObject _seen = [];

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("plugin.query", (_, args) =>
        {
            args.Out["seen"] = _seen.DeepClone();
            return true;
        });
        plugin.Handle("*", (topic, args) =>
        {
            if (args.Out["chain"] is not JsonArray chain)
            {
                args.Out["chain"] = chain = [];
            }
            _seen[topic] = chain.DeepClone();
            chain.Add("jobtap-order");
            return true;
        });
    }
}
