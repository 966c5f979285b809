// Test validator that answers after yielding the loop: rejects attributes.system.test-reject (its text), throws for
// test-throw, and for test-modify sets attributes.system.project in the jobspec it was given (which is not stored).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace AsyncHandlerPlugin;

[FluxPlugin("async-validator", PluginKind.Validator, Description = "Test: validates after yielding the loop")]
public sealed class AsyncValidator : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.HandleAsync("job.validate", ValidateAsync);
    }

    private static async ValueTask<bool> ValidateAsync(string topic, PluginArgs args, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var system = args.In["jobspec"]?["attributes"]?["system"] as JsonObject;
        if (system?["test-throw"] is not null)
        {
            throw new InvalidOperationException("thrown after waiting");
        }
        if (system?["test-modify"] is not null)
        {
            system["project"] = "changed by a validator";
        }
        return system?["test-reject"]?.GetValue<string>() is not { } why || args.Error(why);
    }
}
