// Posting events: RFC 21 transitions, the actions each state takes, batched eventlog writes, the journal.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    private readonly List<Message> _journal = [];
    // Eventlog lines waiting for the next commit, per job, in order. A job's lines go in one append:
    // the events a job posts between two commits (often five or more) become one KVS blob, not one each.
    private Dictionary<Job, List<byte[]>> _appends = [];
    private int _appendLines;
    private bool _flushScheduled;
    private bool _flushing;
    private const long EventBatchWindowMs = 5;
    private const int BusyCommitOps = 16;
    private long _lastCommitStart = long.MinValue / 2;
    private int _lastCommitOps;
    private Task _lastFlush = Task.CompletedTask;

    /// <summary>
    /// Appends an event to a job's eventlog, applies its RFC 21 transition, queues the eventlog
    /// write, tells journal subscribers, then lets the job act on its (new) state.
    /// </summary>
    internal void Post(Job job, string name, JsonObject? context, bool persist = true)
    {
        if (job.InCallback > 0)
        {
            // A plugin's callback for this job is running: its state must not change under it.
            (job.Deferred ??= new()).Enqueue((name, context));
            return;
        }
        var seq = ++job.EventCount;
        // The candidate set is ordered by priority: take the job out before an event may change it.
        Dequeue(job);
        var entry = new EventlogEntry(Now, name, context);
        var line = job.AddEvent(entry);
        var before = job.State;
        var queue = job.Queue;
        Apply(job, entry);
        if (before != job.State)
        {
            CountTransition(job, before, job.State);
        }
        if (!ReferenceEquals(queue, job.Queue) && queue != job.Queue)
        {
            QueueChanged(job, queue);
        }
        if (persist)
        {
            if (!_appends.TryGetValue(job, out var lines))
            {
                _appends[job] = lines = [];
            }
            lines.Add(line);
            _appendLines++;
            ScheduleFlush();
        }
        SendJournal(job, name, line);
        JobtapOnEvent(job, before, name, line);
        // Events plugins posted from those callbacks have already moved the job on and acted.
        if (job.EventCount == seq)
        {
            Act(job);
        }
    }

    /// <summary>RFC 21: the state an event leads to, and the bookkeeping it carries.</summary>
    private static void Apply(Job job, EventlogEntry e)
    {
        var ctx = e.Context;
        switch (e.Name)
        {
            case JobEventNames.Validate when job.State == JobState.New:
                job.State = JobState.Depend;
                break;
            case JobEventNames.Depend when job.State == JobState.Depend:
                job.State = JobState.Priority;
                break;
            case JobEventNames.Priority:
                job.Priority = ctx?["priority"]?.GetValue<long>() ?? 0;
                if (job.State == JobState.Priority)
                {
                    job.State = JobState.Sched;
                }
                break;
            case JobEventNames.Urgency:
                job.Urgency = ctx?["urgency"]?.GetValue<int>() ?? job.Urgency;
                if (job.State == JobState.Sched)
                {
                    job.State = JobState.Priority;
                }
                break;
            case JobEventNames.FluxRestart when job.State == JobState.Sched:
                job.State = JobState.Priority;
                break;
            case JobEventNames.Alloc when job.State == JobState.Sched:
                job.State = JobState.Run;
                job.HasResources = true;
                break;
            case JobEventNames.Exception:
                if ((ctx?["severity"]?.GetValue<int>() ?? 0) == 0)
                {
                    job.FatalException = true;
                    job.ExceptionType = ctx?["type"]?.GetValue<string>();
                    job.ExceptionNote = ctx?["note"]?.GetValue<string>();
                    if ((job.State & (JobState.Pending | JobState.Run)) != 0)
                    {
                        job.State = JobState.Cleanup;
                    }
                }
                break;
            case JobEventNames.Finish:
                job.WaitStatus = ctx?["status"]?.GetValue<int>() ?? 0;
                if (job.State == JobState.Run)
                {
                    job.State = JobState.Cleanup;
                }
                break;
            case JobEventNames.Free:
                job.HasResources = false;
                break;
            case JobEventNames.Clean when job.State == JobState.Cleanup:
                job.State = JobState.Inactive;
                job.TInactive = e.Timestamp;
                break;
            case PrologStart or PrologFinish or EpilogStart or EpilogFinish:
                ApplyPerilog(job, e.Name);
                break;
            case JobEventNames.SetFlags:
                if (ctx?["flags"] is JsonArray flags && flags.Any(f => f?.GetValue<string>() == "waitable"))
                {
                    job.Flags |= (int)SubmitFlags.Waitable;
                }
                job.Immutable |= ctx?["flags"] is JsonArray fl && fl.Any(f => f?.GetValue<string>() == "immutable");
                break;
            default:
                ApplyJobtapEvent(job, e);
                break;
        }
    }

    /// <summary>What a job does in its current state (flux-core's event.c actions).</summary>
    private void Act(Job job)
    {
        switch (job.State)
        {
            case JobState.Depend:
                if (!HasDependencies(job))
                {
                    Post(job, JobEventNames.Depend, null);
                }
                break;
            case JobState.Priority:
                RequestPriority(job);
                break;
            case JobState.Sched:
                Enqueue(job);
                if (job.AllocPending)
                {
                    if (job.Priority == 0)
                    {
                        CancelAlloc(job);
                    }
                    else
                    {
                        Prioritize(job);
                    }
                }
                TryAlloc();
                break;
            case JobState.Run:
                StartExec(job);
                break;
            case JobState.Cleanup:
                Cleanup(job);
                break;
            case JobState.Inactive:
                OnInactive(job);
                break;
            default:
                break;
        }
    }

    private void Cleanup(Job job)
    {
        if (job.AllocPending)
        {
            CancelAlloc(job);
            return;
        }
        if (job.ExecActive || job.PerilogActive > 0)
        {
            return;
        }
        if (job.HasResources)
        {
            FreeResources(job);
            return;
        }
        if (job.LastEvent != JobEventNames.Clean)
        {
            Post(job, JobEventNames.Clean, null);
        }
    }

    private void OnInactive(Job job)
    {
        // Waiters are answered once the job's last events are in the KVS, so that what they read
        // next (its eventlog) is complete.
        var waiters = job.Waiters.ToList();
        job.Waiters.Clear();
        if (job.Waitable && _anyWaiters.FirstOrDefault(m => m.UserId == job.UserId) is { } any)
        {
            _anyWaiters.Remove(any);
            waiters.Add(any);
        }
        if (waiters.Count > 0)
        {
            _afterFlush.Add(() => waiters.ForEach(w => RespondWait(job, w)));
            ScheduleFlush();
        }
        Notify(job, "job.inactive-add");
        job.Shrink();
        CheckIdle();
        PurgeInactive();
        TryAlloc();
    }

    private void ScheduleFlush()
    {
        if (_flushScheduled)
        {
            return;
        }
        _flushScheduled = true;
        if (!_flushing)
        {
            _lastFlush = FlushSoonAsync();
            flux.Background(_lastFlush, "eventlog commit", onFault: _ => OnFlushFault());
        }
    }

    // One eventlog commit in flight at a time (flux-core batches them on a short timer): events
    // posted while a commit is on its way go together in the next one, so under load a commit
    // carries many jobs' events instead of each loop turn sending its own.
    private async Task FlushSoonAsync()
    {
        _flushing = true;
        try
        {
            // Let every message already queued on this module's loop post its events first, so that
            // a burst of submissions shares one KVS commit.
            await Task.Yield();
            while (_flushScheduled)
            {
                // Under load, at most one commit per batch window (flux-core batches eventlog writes
                // over 10 ms): fewer, larger commits, so fewer rewrites of the job directories. "Load"
                // is a previous commit of many operations; a lone job's few events (flux run) and
                // the first commit after a quiet spell go at once, so an interactive job waits for nothing.
                var since = Environment.TickCount64 - _lastCommitStart;
                if (_lastCommitOps >= BusyCommitOps && since < EventBatchWindowMs)
                {
                    await Task.Delay((int)(EventBatchWindowMs - since)).ConfigureAwait(true);
                }
                _lastCommitStart = Environment.TickCount64;
                _lastCommitOps = _appendLines;
                await FlushAsync().ConfigureAwait(true);
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    // A flush that failed other than by an RFC 6 error: events posted since must not wait for a flush
    // that is marked scheduled but will never run.
    private void OnFlushFault()
    {
        _flushScheduled = false;
        if (_appendLines > 0 || _afterFlush.Count > 0)
        {
            ScheduleFlush();
        }
    }

    /// <summary>Commits the queued eventlog appends in one transaction.</summary>
    private async Task FlushAsync()
    {
        _flushScheduled = false;
        var after = _afterFlush.ToList();
        _afterFlush.Clear();
        var appends = _appends;
        _appends = [];
        _appendLines = 0;
        var txn = new KvsTxn();
        foreach (var (job, lines) in appends)
        {
            txn.Append(job.Key + ".eventlog", lines.Count == 1 ? lines[0] : Job.Concat(lines));
        }
        if (txn.Count > 0)
        {
            try
            {
                await flux.KvsCommitAsync(txn).ConfigureAwait(true);
            }
            catch (FluxException ex)
            {
                JobManagerLog.EventlogCommitFailed(log, txn.Count, ex.Message);
            }
        }
        foreach (var a in after)
        {
            a();
        }
    }

    /// <summary>Work to do once the events posted so far are committed.</summary>
    private readonly List<Action> _afterFlush = [];

    private ValueTask OnJournal(Message msg)
    {
        if (!msg.IsStreaming)
        {
            throw new FluxException(Errno.EPROTO, "job-manager.events-journal is a streaming RPC");
        }
        // Events queued for the other subscribers are already in the backlog sent here.
        FlushJournal();
        foreach (var job in _jobs.Values.OrderBy(j => j.Id))
        {
            flux.RespondRaw(msg, JournalEntry(job, job.EventLines(), backlog: true));
        }
        flux.Respond(msg, new JsonObject { ["id"] = -1, ["events"] = new JsonArray() });
        _journal.Add(msg);
        return ValueTask.CompletedTask;
    }

    // One journal response, {id, events, jobspec?, R?}, written straight to NUL-terminated UTF-8 once
    // for every subscriber: events, jobspec and R go in as the text they already are.
    private static byte[] JournalEntry(Job job, IEnumerable<ReadOnlyMemory<byte>> lines, bool backlog, bool hasSubmit = false, bool hasAlloc = false) =>
        Message.EncodeJson((job, lines, backlog, hasSubmit, hasAlloc), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("id", s.job.Id);
            w.WriteStartArray("events");
            foreach (var line in s.lines)
            {
                w.WriteRawValue(line.Span[..^1], skipInputValidation: true);
            }
            w.WriteEndArray();
            if (s.hasSubmit || s.backlog)
            {
                w.WritePropertyName("jobspec");
                w.WriteRawValue(s.job.Spec.Utf8, skipInputValidation: true);
            }
            if ((s.hasAlloc || s.backlog) && s.job.R is not null)
            {
                w.WritePropertyName("R");
                w.WriteRawValue(s.job.R, skipInputValidation: true);
            }
            w.WriteEndObject();
        });

    // Per job, the events (name and eventlog line) waiting to go to journal subscribers.
    private readonly Dictionary<Job, List<(string Name, byte[] Line)>> _journalPending = [];
    private readonly List<Job> _journalOrder = [];
    private bool _journalScheduled;

    // stats-get journal.events: as journal.c's event_count, every event posted since the module
    // loaded (volatile ones and annotations included), whether or not anyone listens.
    private long _journalEvents;

    /// <summary>
    /// Queues an event for journal subscribers; the events a job posts in one turn of the loop go
    /// out together in one response (RFC 21 order is kept per job).
    /// </summary>
    private void SendJournal(Job job, string name, byte[] line)
    {
        _journalEvents++;
        if (_journal.Count == 0)
        {
            return;
        }
        if (!_journalPending.TryGetValue(job, out var list))
        {
            _journalPending[job] = list = [];
            _journalOrder.Add(job);
        }
        list.Add((name, line));
        if (!_journalScheduled)
        {
            _journalScheduled = true;
            flux.Background(FlushJournalSoonAsync(), "journal update");
        }
    }

    private async Task FlushJournalSoonAsync()
    {
        await Task.Yield();
        FlushJournal();
    }

    private void FlushJournal()
    {
        _journalScheduled = false;
        foreach (var job in _journalOrder)
        {
            var events = _journalPending[job];
            var entry = JournalEntry(job, events.Select(e => (ReadOnlyMemory<byte>)e.Line), backlog: false,
                hasSubmit: events.Exists(e => e.Name == JobEventNames.Submit), hasAlloc: events.Exists(e => e.Name == JobEventNames.Alloc));
            foreach (var s in _journal)
            {
                flux.RespondRaw(s, entry);
            }
        }
        _journalPending.Clear();
        _journalOrder.Clear();
    }

    private void SendJournalPurge(ulong id)
    {
        FlushJournal();
        foreach (var s in _journal)
        {
            flux.Respond(s, new JsonObject { ["id"] = id, ["events"] = new JsonArray(), ["purged"] = true });
        }
    }
}
