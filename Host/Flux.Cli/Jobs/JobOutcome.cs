// How a job ended, read from its eventlog as flux-core's flux_job_result (libjob/result.c) reads it.
using System.Text.Json.Nodes;
using Flux.Formats;
using Flux.Client.Handle;

namespace Flux.Cli.Jobs;

/// <summary>
/// flux-core's job result object: the times of submit, alloc (<c>t_run</c>) and finish
/// (<c>t_cleanup</c>), the finish wait status, and the most severe exception. Built by following the
/// job eventlog through <c>job-info.eventlog-watch</c> to its end, so it works for every job,
/// waitable or not, active or inactive (flux job status, flux submit --wait).
/// </summary>
internal sealed class JobOutcome
{
    public JobOutcome(ulong id) => Id = id;

    public ulong Id { get; }

    public double? TSubmit { get; private set; }

    public double? TRun { get; private set; }

    public double? TCleanup { get; private set; }

    /// <summary>The finish event's wait status, or null when the job never finished (no finish event).</summary>
    public int? WaitStatus { get; private set; }

    public bool ExceptionOccurred { get; private set; }

    public string? ExceptionType { get; private set; }

    public string? ExceptionNote { get; private set; }

    public int? ExceptionSeverity { get; private set; }

    /// <summary>flux-core's job_result_calc: COMPLETED needs an alloc and wait status 0.</summary>
    public JobResult Result =>
        TRun > 0 && WaitStatus == 0 ? JobResult.Completed
        : ExceptionOccurred && ExceptionType == "cancel" ? JobResult.Canceled
        : ExceptionOccurred && ExceptionType == "timeout" ? JobResult.Timeout
        : JobResult.Failed;

    /// <summary>Whether a fatal (severity 0) exception ended the job.</summary>
    public bool FatalException => ExceptionOccurred && ExceptionSeverity == 0;

    /// <summary>Follows the job's eventlog to its end (the job's clean event) and returns its outcome.</summary>
    public static async Task<JobOutcome> WatchAsync(FluxHandle h, ulong id, CancellationToken ct)
    {
        var outcome = new JobOutcome(id);
        await foreach (var (_, e) in JobEventWatch.WatchAsync(h, id, "eventlog", 0, ct).ConfigureAwait(false))
        {
            outcome.Add(e);
        }
        return outcome;
    }

    /// <summary>Takes one main-eventlog event into account, as result_eventlog_cb does.</summary>
    public void Add(EventlogEntry e)
    {
        switch (e.Name)
        {
            case JobEventNames.Submit:
                TSubmit = e.Timestamp;
                break;
            case "alloc":
                TRun = e.Timestamp;
                break;
            case "finish":
                TCleanup = e.Timestamp;
                WaitStatus = e.Context?["status"]?.GetValue<int>() ?? throw new Flux.Abstractions.FluxException(Flux.Abstractions.Errno.EPROTO, "finish event has no status");
                break;
            case "exception":
                AddException(e.Context);
                break;
            default:
                break;
        }
    }

    private void AddException(JsonObject? c)
    {
        if (c?["type"] is not { } type || c["severity"] is not { } severity || c["note"] is not { } note)
        {
            throw new Flux.Abstractions.FluxException(Flux.Abstractions.Errno.EPROTO, "exception event lacks type, severity or note");
        }
        var sev = severity.GetValue<int>();
        // As flux-core: an earlier exception is kept only when it was more severe (and not severity 0).
        if (ExceptionOccurred && ExceptionSeverity is int prev && prev > 0 && prev < sev)
        {
            return;
        }
        ExceptionOccurred = true;
        ExceptionType = type.GetValue<string>();
        ExceptionNote = note.GetValue<string>();
        ExceptionSeverity = sev;
    }

    /// <summary>flux-core's result JSON (flux job status --json): keys present only when known, plus <c>result</c>.</summary>
    public JsonObject ToJson()
    {
        // flux-core's key order: id and exception_occurred first, then as the events set them.
        var o = new JsonObject { ["id"] = Id, ["exception_occurred"] = ExceptionOccurred };
        if (TSubmit is double s)
        {
            o["t_submit"] = s;
        }
        if (TRun is double r)
        {
            o["t_run"] = r;
        }
        if (TCleanup is double c)
        {
            o["t_cleanup"] = c;
        }
        if (WaitStatus is int w)
        {
            o["waitstatus"] = w;
        }
        if (ExceptionOccurred)
        {
            o["exception_type"] = ExceptionType;
            o["exception_note"] = ExceptionNote;
            o["exception_severity"] = ExceptionSeverity;
        }
        o["result"] = (int)Result;
        return o;
    }

    /// <summary>flux-core's status_to_exitcode: no wait status is 0, a signal is 128+N, else the exit status.</summary>
    public int ExitCode => WaitStatus is not int w ? 0 : (w & 0x7f) != 0 ? 128 + (w & 0x7f) : (w >> 8) & 0xff;

    /// <summary>Whether the job succeeded: no fatal exception and a finish status of 0.</summary>
    public bool Success => !FatalException && WaitStatus == 0;

    /// <summary>Why the job failed, in job-manager.wait's errstr words; null when it succeeded.</summary>
    public string? ErrorText =>
        FatalException ? $"Fatal exception type={ExceptionType} {ExceptionNote}".TrimEnd()
        : WaitStatus is not int w ? "job did not finish"
        : (w & 0x7f) != 0 ? $"task(s) {Flux.Abstractions.Signals.Describe(w & 0x7f)}"
        : w != 0 ? $"task(s) exited with exit code {(w >> 8) & 0xff}"
        : null;
}
