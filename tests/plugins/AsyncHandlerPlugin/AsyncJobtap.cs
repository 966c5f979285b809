// Test jobtap plugin that registers an asynchronous handler: job-manager must refuse to load it.
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace AsyncHandlerPlugin;

[FluxPlugin("async-jobtap", PluginKind.Jobtap)]
public sealed class AsyncJobtap : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.HandleAsync("job.validate", static async (_, _, cancellationToken) =>
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            return true;
        });
    }
}
