// One job under job-exec: sends its RFC 32 responses and simulates it (testexec) on the module loop.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Modules.JobExec;

internal sealed class RunningJob(ulong id, Message request, IFlux flux, Action<RunningJob> done) : IDisposable
{
    private readonly CancellationTokenSource _kill = new();
    private int _killSignal;
    private bool _finished;

    public ulong Id { get; } = id;

    /// <summary>Ends the job now with an exception (nothing ran).</summary>
    public void Fail(string type, string note)
    {
        Respond("exception", new JsonObject { ["type"] = type, ["severity"] = 0, ["note"] = note });
        Finish(0);
    }

    /// <summary>Kills the job with a signal; an exception is raised first when a type is given.</summary>
    public void Kill(int signum, string? type, string? note)
    {
        if (type is not null)
        {
            Respond("exception", new JsonObject { ["type"] = type, ["severity"] = 0, ["note"] = note });
        }
        _killSignal = signum;
        _kill.Cancel();
    }

    /// <summary>
    /// testexec: the job "runs" for its run duration without processes. Past the allocation's
    /// expiration it gets a timeout exception and is killed, as a real job over its limit would be.
    /// </summary>
    public async Task RunTestAsync(double runDuration, double expiration, int waitStatus, int killSignal)
    {
        Respond("start", null);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var limit = expiration > 0 ? Math.Max(0, expiration - now) : double.PositiveInfinity;
        var timedOut = runDuration > limit;
        var wait = timedOut ? limit : runDuration;
        try
        {
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(wait, int.MaxValue / 1000.0)), _kill.Token).ConfigureAwait(true);
            }
        }
        catch (OperationCanceledException)
        {
            Finish(_killSignal);
            return;
        }
        if (timedOut)
        {
            Respond("exception", new JsonObject { ["type"] = "timeout", ["severity"] = 0, ["note"] = "resource allocation expired" });
            Finish(killSignal);
            return;
        }
        Finish(waitStatus);
    }

    private void Finish(int status)
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        Respond("finish", new JsonObject { ["status"] = status });
        Respond("release", new JsonObject { ["ranks"] = "all", ["final"] = true });
        flux.RespondError(request, Errno.ENODATA);
        Dispose();
        done(this);
    }

    public void Dispose() => _kill.Dispose();

    private void Respond(string type, JsonObject? data)
    {
        var o = new JsonObject { ["id"] = Id, ["type"] = type };
        if (data is not null)
        {
            o["data"] = data;
        }
        flux.Respond(request, o);
    }
}
