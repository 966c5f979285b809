// flux-core's job-manager topics its own clients call that Flux.NET named differently or lacked:
// drain, idle (flux queue drain/idle), history.get (flux job last), stats-get (flux resource status).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    private void RegisterInterop()
    {
        // src/modules/job-manager/drain.c: answered once no job is active (drain) or running (idle).
        Register("drain", OnQueueDrain);
        Register("idle", OnQueueIdle);
        // src/modules/job-manager/history.c: the caller's jobs, newest first, cut by a Python slice.
        Register("history.get", OnHistoryGet, FluxRole.User);
        // src/modules/job-manager/job-manager.c stats_cb: replaces the module's message counters.
        Register("stats-get", OnStatsGet, FluxRole.All);
    }

    private ValueTask OnHistoryGet(Message msg)
    {
        var slice = msg.GetJsonOrNull()?["slice"]?.GetValue<string>() ?? "[:]";
        var mine = _jobs.Values.Where(j => j.UserId == msg.UserId)
            .OrderByDescending(j => j.TSubmit).ThenByDescending(j => j.Id)
            .Select(j => j.Id).ToList();
        var (start, stop) = PythonSlice(slice, mine.Count);
        var ids = new JsonArray();
        for (var i = start; i < stop; i++)
        {
            ids.Add(mine[i]);
        }
        flux.Respond(msg, new JsonObject { ["jobs"] = ids });
        return ValueTask.CompletedTask;
    }

    private ValueTask OnStatsGet(Message msg)
    {
        var running = new JsonObject();
        foreach (var a in _housekept)
        {
            running[a.F58] = new JsonObject
            {
                ["t_start"] = a.TStart,
                ["pending"] = new IdSet(a.Pending).Encode(IdSetFormat.Range),
                ["allocated"] = new IdSet(a.R.Ranks.Where(r => !a.Free.Contains(r))).Encode(IdSetFormat.Range),
            };
        }
        var config = _housekeeping is { } hk
            ? new JsonObject { ["release-after"] = hk.ReleaseAfter, ["command"] = string.Join(' ', hk.Command.Argv ?? []) }
            : new JsonObject { ["release-after"] = -1.0, ["command"] = string.Empty };
        flux.Respond(msg, new JsonObject
        {
            ["journal"] = new JsonObject { ["listeners"] = _journal.Count, ["events"] = _journalEvents },
            ["active_jobs"] = _counts.Active,
            ["inactive_jobs"] = _jobs.Values.Count(j => j.State == JobState.Inactive),
            ["max_jobid"] = _maxJobId,
            ["housekeeping"] = new JsonObject { ["running"] = running, ["config"] = config },
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The bounds of a Python slice "[start:stop]" (either may be omitted or negative; no step) over
    /// <paramref name="count"/> items, clamped as Python clamps them.
    /// </summary>
    internal static (int Start, int Stop) PythonSlice(string slice, int count)
    {
        var s = slice.Trim();
        if (s.Length < 2 || s[0] != '[' || s[^1] != ']' || s.IndexOf(':', StringComparison.Ordinal) is var colon && colon < 0)
        {
            throw new FluxException(Errno.EINVAL, $"invalid slice '{slice}'");
        }
        var inner = s[1..^1];
        colon = inner.IndexOf(':', StringComparison.Ordinal);
        int Bound(string text, int dflt)
        {
            text = text.Trim();
            if (text.Length == 0)
            {
                return dflt;
            }
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                throw new FluxException(Errno.EINVAL, $"invalid slice '{slice}'");
            }
            return Math.Clamp(n < 0 ? count + n : n, 0, count);
        }
        var start = Bound(inner[..colon], 0);
        var stop = Bound(inner[(colon + 1)..], count);
        return (start, Math.Max(start, stop));
    }
}
