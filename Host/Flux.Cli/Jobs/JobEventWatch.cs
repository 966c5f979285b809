// A job eventlog followed through job-info.eventlog-watch, as flux-core's flux_job_event_watch does.
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Handle;

namespace Flux.Cli.Jobs;

internal static class JobEventWatch
{
    /// <summary>flux-core's FLUX_JOB_EVENT_WATCH_WAITCREATE.</summary>
    public const int WaitCreate = 1;

    /// <summary>
    /// Yields each event of the job's <paramref name="path"/> (<c>eventlog</c>, <c>guest.exec.eventlog</c>,
    /// <c>guest.output</c>...) with its line, as <c>job-info.eventlog-watch</c> sends them (one RFC 18
    /// line each, newline included), until the service ends the stream (ENODATA: the job's
    /// <c>clean</c> event for the main eventlog; the end of the log of an inactive job). The service
    /// does the waiting, which is what makes this work against flux-core, where a guest may not read
    /// the KVS directly. Leaving early (break, cancel, error) sends
    /// <c>job-info.eventlog-watch-cancel</c>. Errors are the service's: ENOENT (no such job or log),
    /// EPERM (not the caller's job).
    /// </summary>
    public static async IAsyncEnumerable<(string Line, EventlogEntry Entry)> WatchAsync(FluxHandle h, ulong id, string path, int flags, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = Message.Request("job-info.eventlog-watch", new JsonObject { ["id"] = id, ["path"] = path, ["flags"] = flags });
        var ended = false;
        try
        {
            await foreach (var m in h.StreamAsync(request, ct).ConfigureAwait(false))
            {
                var line = m.GetJson()["event"]?.GetValue<string>() ?? throw new FluxException(Errno.EPROTO, "job-info.eventlog-watch: response has no event");
                yield return (line, Eventlog.ParseEntry(line));
            }
            ended = true;
        }
        finally
        {
            if (!ended)
            {
                Cancel(h, request);
            }
        }
    }

    /// <summary>Stops a watch (flux_job_event_watch_cancel): no response is expected to the cancel itself.</summary>
    public static void Cancel(FluxHandle h, Message watch)
    {
        if (watch.Matchtag == NodeId.MatchtagNone)
        {
            return;
        }
        StreamCancel.Send(h, "job-info.eventlog-watch-cancel", watch.Matchtag);
    }
}
