// Test frobnicator that sets attributes.system.project to "async" after yielding the loop.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace AsyncHandlerPlugin;

[FluxPlugin("async-frobnicator", PluginKind.Frobnicator, Description = "Test: sets a project after yielding the loop")]
public sealed class AsyncFrobnicator : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.HandleAsync("job.frobnicate", async (_, args, _) =>
        {
            await Task.Yield();
            var attributes = args.In["jobspec"]!["attributes"] as JsonObject ?? throw new InvalidOperationException("no attributes");
            if (attributes["system"] is not JsonObject system)
            {
                attributes["system"] = system = [];
            }
            system["project"] = "async";
            return true;
        });
    }
}
