// The feasibility validator: asks the scheduler (feasibility.check, RFC 27) whether the job could ever run.
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Validators.Builtins;

[FluxPlugin("feasibility", PluginKind.Validator, Description = "Use feasibility service to validate job")]
public sealed class FeasibilityValidator(IFlux flux) : IFluxPlugin
{
    /// <summary>How long a job's submission waits for the scheduler's answer before it is refused.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // The questions asked and not yet answered, by jobspec text: a burst of identical jobs (flux submit
    // --cc, job arrays) shares one feasibility.check instead of sending one per job. An answer is for
    // the moment it is given: each is forgotten as soon as it arrives, so a later job asks again.
    private readonly Dictionary<string, Task<string?>> _asking = new(StringComparer.Ordinal);

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        // Asynchronous: job-ingest's loop serves other submissions while this one waits for the scheduler.
        plugin.HandleAsync("job.validate", ValidateAsync);
    }

    private async ValueTask<bool> ValidateAsync(string topic, PluginArgs args, CancellationToken cancellationToken)
    {
        var jobspec = args.In["jobspec"]?.ToJsonString() ?? "null";
        if (!_asking.TryGetValue(jobspec, out var answer))
        {
            answer = AskAsync(jobspec);
            if (!answer.IsCompleted)
            {
                _asking[jobspec] = answer;
            }
        }
        return await answer.WaitAsync(cancellationToken).ConfigureAwait(true) is not { } refusal || args.Error(refusal);
    }

    // The scheduler's answer: null if the job is feasible, else why not.
    private async Task<string?> AskAsync(string jobspec)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            // The payload is written around the jobspec's text: it is not parsed again to be sent.
            var request = Message.Request("feasibility.check");
            request.SetString("{\"jobspec\":" + jobspec + "}");
            await flux.RequestAsync(request, timeout.Token).ConfigureAwait(true);
            return null;
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            // No feasibility service loaded: the job is not refused for it (flux-core's plugin does the same).
            return null;
        }
        catch (FluxException ex)
        {
            return ex.Message;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return $"the scheduler did not answer feasibility.check within {Timeout.TotalSeconds:0}s";
        }
        finally
        {
            // On job-ingest's loop (the awaits resume there): the next job with this jobspec asks anew.
            _asking.Remove(jobspec);
        }
    }
}
