// flux run / flux job attach and signals: Ctrl-C and SIGTERM go to the job, and end the wait when they cannot.
using System.Text.Json.Nodes;

namespace Flux.Cli.Jobs;

internal sealed partial class Attacher
{
    /// <summary>
    /// Ctrl-C: the first sends SIGINT to the tasks, a second within 2 s cancels the job, and one more
    /// after that (or a cancel that reaches no job) stops waiting at once (exit 130).
    /// </summary>
    private void OnInterrupt()
    {
        var now = DateTime.UtcNow;
        if (_canceling)
        {
            Detach(130, "interrupted");
            return;
        }
        if (now - _lastInterrupt < TimeSpan.FromSeconds(2))
        {
            _canceling = true;
            Console.Error.WriteLine($"{prog}: canceling job");
            Forward("job-manager.raise", new JsonObject { ["id"] = id, ["type"] = "cancel", ["severity"] = 0, ["note"] = "interrupted by user" }, "cancel", 130);
            return;
        }
        _lastInterrupt = now;
        Console.Error.WriteLine($"{prog}: one more ctrl-C within 2s to cancel");
        // A job that is not running yet cannot take SIGINT: the second Ctrl-C (cancel) still ends it.
        Forward("job-manager.kill", new JsonObject { ["id"] = id, ["signum"] = 2 }, "kill", null);
    }

    /// <summary>SIGTERM goes to the tasks; when it cannot (the job is not running), or on a second SIGTERM, the wait ends (exit 143).</summary>
    private void OnTerminate()
    {
        if (_terminating)
        {
            Detach(143, "terminated");
            return;
        }
        _terminating = true;
        Forward("job-manager.kill", new JsonObject { ["id"] = id, ["signum"] = 15 }, "kill", 143);
    }

    // Sends a signal or cancel to the job. When the job manager refuses it (with a detach code),
    // nothing will end the job on the user's behalf, so the wait ends instead.
    private void Forward(string topic, JsonObject request, string what, int? code) =>
        _ = h.RpcAsync(topic, request).ContinueWith(t =>
        {
            // A refusal (FluxException) or a lost connection (IOException ...): either way the
            // signal did not reach the job, so say why.
            if (t.Exception?.InnerException is { } ex)
            {
                Console.Error.WriteLine($"{prog}: {what}: {ex.Message}");
                if (code is int c)
                {
                    Detach(c, null);
                }
            }
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private void Detach(int code, string? why)
    {
        if (why is not null)
        {
            Console.Error.WriteLine($"{prog}: {why}: no longer waiting for job {JobIdArg.F58(id)}");
        }
        _detachCode ??= code;
        try
        {
            _stop?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attach has ended on its own.
        }
    }
}
