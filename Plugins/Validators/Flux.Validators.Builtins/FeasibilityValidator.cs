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
        plugin.Handle("job.validate", Validate);
    }

    private bool Validate(string topic, PluginArgs args)
    {
        var request = new JsonObject { ["jobspec"] = args.In["jobspec"]?.DeepClone() };
        // A validator answers before job-ingest moves on, as flux-core's validator workers do. The RPC
        // is started off job-ingest's loop (Task.Run: no synchronization context to resume on), so its
        // response completes on the broker's side while the loop waits here; awaited on the loop itself
        // it would wait for the loop that is waiting for it.
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            Task.Run(() => flux.RpcAsync("feasibility.check", request, cancellationToken: cts.Token), cts.Token).GetAwaiter().GetResult();
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
        catch (OperationCanceledException)
        {
            return args.Error($"the scheduler did not answer feasibility.check within {Timeout.TotalSeconds:0}s");
        }
    }
}
