// The feasibility validator: asks the scheduler (feasibility.check, RFC 27) whether the job could ever run.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Validators.Builtins;

[FluxPlugin("feasibility", PluginKind.Validator, Description = "Use feasibility service to validate job")]
public sealed class FeasibilityValidator(IFlux flux) : IFluxPlugin
{
    /// <summary>How long a job's submission waits for the scheduler's answer before it is refused.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        // Asynchronous: job-ingest's loop serves other submissions while this one waits for the scheduler.
        plugin.HandleAsync("job.validate", ValidateAsync);
    }

    private async ValueTask<bool> ValidateAsync(string topic, PluginArgs args, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["jobspec"] = args.In["jobspec"]?.DeepClone() };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await flux.RpcAsync("feasibility.check", request, cancellationToken: timeout.Token).ConfigureAwait(true);
            return true;
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            // No feasibility service loaded: the job is not refused for it (flux-core's plugin does the same).
            return true;
        }
        catch (FluxException ex)
        {
            return args.Error(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return args.Error($"the scheduler did not answer feasibility.check within {Timeout.TotalSeconds:0}s");
        }
    }
}
