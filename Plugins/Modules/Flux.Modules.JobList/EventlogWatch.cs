// One job-info.eventlog-watch stream: follows a job eventlog (RFC 18) or a guest log (RFC 24, RFC 50) in the KVS.
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobList;

/// <summary>
/// Streams the lines of one eventlog to one client as <c>{event: LINE}</c> responses, through
/// <c>kvs-watch.lookup</c> with WATCH|WATCH_APPEND. The main <c>eventlog</c> ends after its
/// <c>clean</c> event. A guest log (<c>guest.exec.eventlog</c>, <c>guest.output</c>,
/// <c>guest.input</c>) is read as flux-core's job-info reads it: once the job has started, from the
/// guest namespace <c>job-ID</c> while it exists; when that namespace is removed (or was never
/// made), from <c>job.ID.guest.*</c> in the primary namespace, ending when the job is inactive. Every
/// stream ends with exactly one error response (ENODATA for a normal end), unless the client is gone.
/// </summary>
internal sealed class EventlogWatch : IDisposable
{
    /// <summary>flux-core's FLUX_JOB_EVENT_WATCH_WAITCREATE: wait for a guest log to be created.</summary>
    public const int WaitCreate = 1;

    private readonly IFlux _flux;
    private readonly ILogger _log;
    private readonly ulong _id;
    private readonly string _path;
    private readonly bool _waitCreate;
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _partial = new();
    private long _received;
    private bool _done;

    public EventlogWatch(IFlux flux, ILogger log, Message request, ulong id, string path, bool waitCreate)
    {
        _flux = flux;
        _log = log;
        Request = request;
        _id = id;
        _path = path;
        _waitCreate = waitCreate;
    }

    public Message Request { get; }

    /// <summary>
    /// Maps the names clients use to the job's KVS paths: <c>exec</c>, <c>output</c> and <c>input</c>
    /// are the guest logs; <c>eventlog</c> and <c>guest.*</c> are taken as they are. EINVAL otherwise.
    /// </summary>
    public static string NormalizePath(string path) => path switch
    {
        "eventlog" => "eventlog",
        "exec" => "guest.exec.eventlog",
        "output" => "guest.output",
        "input" => "guest.input",
        _ when path.StartsWith("guest.", StringComparison.Ordinal) && path.Length > 6 => path,
        _ => throw new FluxException(Errno.EINVAL, $"invalid eventlog path '{path}'"),
    };

    /// <summary>Ends the stream now with <paramref name="errnum"/> (0: send nothing, the client is gone).</summary>
    public void Stop(int errnum, string? text)
    {
        if (_done)
        {
            return;
        }
        _done = true;
        _stop.Cancel();
        if (errnum != 0)
        {
            _flux.RespondError(Request, errnum, text);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    /// <summary>Runs the watch to its end; <paramref name="eventlog"/> is the job's main eventlog as read for the access check.</summary>
    public async Task RunAsync(string eventlog)
    {
        if (_done)
        {
            return;
        }
        try
        {
            if (_path == "eventlog")
            {
                await FollowMainAsync();
            }
            else
            {
                await FollowGuestAsync(eventlog);
            }
            Stop(Errno.ENODATA, null);
        }
        catch (OperationCanceledException)
        {
            // Stopped by cancel, disconnect or unload: the response (if any) was sent by Stop.
        }
        catch (FluxException ex)
        {
            Stop(ex.Errnum, ex.Message);
        }
    }

    private async Task FollowMainAsync()
    {
        var token = _stop.Token;
        await foreach (var chunk in WatchAsync(KvsExtensions.Primary, InfoKey("eventlog"), KvsFlags.Watch | KvsFlags.WaitCreate | KvsFlags.WatchAppend, token))
        {
            if (Forward(chunk).Contains(JobEventNames.Clean))
            {
                return;
            }
        }
    }

    private async Task FollowGuestAsync(string eventlog)
    {
        var names = Eventlog.Parse(eventlog).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        if (!names.Contains(JobEventNames.Clean) && !names.Contains(JobEventNames.Start))
        {
            // The guest namespace exists from the start event on; wait for it (or for the end).
            names.Add(await WaitForMainEventAsync(JobEventNames.Start, JobEventNames.Clean));
        }
        if (names.Contains(JobEventNames.Clean))
        {
            await ForwardFinalAsync();
            return;
        }
        var fromNamespace = false;
        try
        {
            var flags = KvsFlags.Watch | KvsFlags.WatchAppend | (_waitCreate ? KvsFlags.WaitCreate : KvsFlags.None);
            await foreach (var chunk in WatchAsync("job-" + JobInfoModule.Dec(_id), _path["guest.".Length..], flags, _stop.Token))
            {
                fromNamespace = true;
                Forward(chunk);
            }
        }
        catch (FluxException ex) when (ex.Errnum == Errno.EOPNOTSUPP)
        {
            // The namespace is gone (job-exec copied it to job.ID.guest and removed it), or was never made.
        }
        if (fromNamespace)
        {
            await ForwardFinalAsync();
            return;
        }
        await FollowPrimaryGuestAsync();
    }

    // Guest data written straight to job.ID.guest.*: follow it until the job's eventlog says clean.
    private async Task FollowPrimaryGuestAsync()
    {
        using var follow = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var flags = KvsFlags.Watch | KvsFlags.WatchAppend | (_waitCreate ? KvsFlags.WaitCreate : KvsFlags.None);
        var data = FollowDataAsync(flags, follow.Token);
        var end = WaitForMainEventAsync(JobEventNames.Clean);
        if (await Task.WhenAny(data, end) == data)
        {
            // The data watch ended first: an error (reported) or the value was removed (then wait).
            await data;
        }
        await end;
        await follow.CancelAsync();
        try
        {
            await data;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose: the final read below has everything.
        }
        await ForwardFinalAsync();
    }

    private async Task FollowDataAsync(KvsFlags flags, CancellationToken token)
    {
        await foreach (var chunk in WatchAsync(KvsExtensions.Primary, InfoKey(_path), flags, token))
        {
            Forward(chunk);
        }
    }

    // Reads the final guest log from the primary namespace and forwards what was not sent yet.
    private async Task ForwardFinalAsync()
    {
        var val = await _flux.KvsLookupAsync(InfoKey(_path));
        if (val is null)
        {
            if (_received == 0)
            {
                throw new FluxException(Errno.ENOENT, $"eventlog path {_path} not found");
            }
            return;
        }
        var bytes = TreeObject.ValBytes(val);
        if (bytes.Length > _received)
        {
            Forward(bytes.AsSpan((int)_received).ToArray());
        }
    }

    // Follows the main eventlog without forwarding it, until one of the named events is in it.
    private async Task<string> WaitForMainEventAsync(params string[] wanted)
    {
        using var scope = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var partial = new StringBuilder();
        await foreach (var chunk in WatchAsync(KvsExtensions.Primary, InfoKey("eventlog"), KvsFlags.Watch | KvsFlags.WaitCreate | KvsFlags.WatchAppend, scope.Token))
        {
            foreach (var line in Lines(partial, chunk))
            {
                if (NameOf(line) is { } n && Array.IndexOf(wanted, n) >= 0)
                {
                    return n;
                }
            }
        }
        throw new FluxException(Errno.ENODATA, "the job eventlog ended");
    }

    // Sends each complete line of a chunk; returns the names of the events sent.
    private List<string> Forward(byte[] chunk)
    {
        _received += chunk.Length;
        var names = new List<string>();
        foreach (var line in Lines(_partial, chunk))
        {
            if (_done)
            {
                break;
            }
            // RFC 18 entries keep their newline: flux-core's clients decode each with
            // eventlog_entry_decode, which requires it.
            _flux.Respond(Request, new JsonObject { ["event"] = line + "\n" });
            if (NameOf(line) is { } n)
            {
                names.Add(n);
            }
        }
        return names;
    }

    private static List<string> Lines(StringBuilder partial, byte[] chunk)
    {
        partial.Append(Encoding.UTF8.GetString(chunk));
        var lines = new List<string>();
        var text = partial.ToString();
        var start = 0;
        int nl;
        while ((nl = text.IndexOf('\n', start)) >= 0)
        {
            if (nl > start)
            {
                lines.Add(text[start..nl]);
            }
            start = nl + 1;
        }
        partial.Clear().Append(text, start, text.Length - start);
        return lines;
    }

    private static string? NameOf(string line)
    {
        try
        {
            return Eventlog.ParseEntry(line + "\n").Name;
        }
        catch (FluxException)
        {
            return null;
        }
    }

    private string InfoKey(string key) => JobInfoModule.JobKey(_id, key);

    // One kvs-watch stream as raw value bytes; leaving it early (break, cancel, error) cancels it in kvs-watch.
    private async IAsyncEnumerable<byte[]> WatchAsync(string ns, string key, KvsFlags flags, [EnumeratorCancellation] CancellationToken token)
    {
        var request = Message.Request("kvs-watch.lookup", new JsonObject
        {
            ["key"] = key,
            ["namespace"] = ns,
            ["flags"] = (int)flags,
        });
        var ended = false;
        try
        {
            await foreach (var response in _flux.StreamAsync(request, token))
            {
                yield return TreeObject.ValBytes(response.GetJson()["val"]);
            }
            ended = true;
        }
        finally
        {
            if (!ended && request.Matchtag != NodeId.MatchtagNone)
            {
                var cancel = Message.Request("kvs-watch.cancel", new JsonObject { ["matchtag"] = request.Matchtag });
                cancel.Flags |= MessageFlags.NoResponse;
                try
                {
                    _flux.Send(cancel);
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or FluxException)
                {
                    // job-info's connection closed first (its own removal): no watch is left to cancel.
                }
                JobInfoLog.StoppedWatching(_log, key, _id);
            }
        }
    }
}
