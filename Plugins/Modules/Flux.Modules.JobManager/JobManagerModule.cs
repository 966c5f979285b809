// The job manager: the only writer of job state. It drives each job through the RFC 21 states,
// records every event in the job's eventlog (RFC 18), and talks to the scheduler (RFC 27) and
// the execution service (RFC 32).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobManager;

[FluxPlugin("job-manager", PluginKind.Module)]
public sealed partial class JobManagerModule(IFlux flux, ILogger<JobManagerModule> log, Flux.Abstractions.Plugins.IPluginLoader plugins) : IFluxModule, IConfigurable, IDisposable
{
    /// <summary>Urgency bounds (RFC 30).</summary>
    internal const int UrgencyHold = 0;
    internal const int UrgencyDefault = 16;
    internal const int UrgencyExpedite = 31;

    private readonly Dictionary<ulong, Job> _jobs = [];
    private readonly Dictionary<string, QueueState> _queues = new(StringComparer.Ordinal);
    private double _inactiveAgeLimit;
    private long _inactiveNumLimit;
    private string? _safeMode;
    private ulong _maxJobId;
    private Timer? _purgeTimer;

    private static double Now => EventlogEntry.Now();

    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        ApplyLimits(flux.Config);
        ConfigureQueues(flux.Config);
        await LoadHousekeepingAsync(cancellationToken).ConfigureAwait(true);
        Register("submit", OnSubmit);
        Register("raise", OnRaise, FluxRole.User);
        Register("urgency", OnUrgency, FluxRole.User);
        Register("wait", OnWait, FluxRole.User);
        Register("kill", OnKill, FluxRole.User);
        Register("sched-hello", OnSchedHello);
        Register("sched-ready", OnSchedReady);
        Register("exec-hello", OnExecHello);
        Register("events-journal", OnJournal);
        Register("queue-enable", OnQueueEnable);
        Register("queue-start", OnQueueStart);
        Register("queue-status", OnQueueStatus, FluxRole.User);
        Register("queue-list", OnQueueList, FluxRole.User);
        Register("alloc-query", OnAllocQuery, FluxRole.User);
        Register("queue-drain", OnQueueDrain);
        Register("queue-idle", OnQueueIdle);
        Register("purge", OnPurge);
        Register("getinfo", OnGetInfo, FluxRole.User);
        Register("disconnect", OnDisconnect, FluxRole.All);
        Register("jobtap", OnJobtap);
        Register("jobtap-query", OnJobtapQuery);
        Register("update", OnUpdate, FluxRole.User);
        Register("housekeeping-kill", OnHousekeepingKill);
        RegisterInterop();
        RegisterBulk();
        LoadJobtapAtStart(flux.Config);
        await RestoreAsync().ConfigureAwait(true);
        await FlushAsync().ConfigureAwait(true);
        _safeMode = await flux.GetAttrAsync("broker.safe-mode", cancellationToken).ConfigureAwait(true);
        if (_safeMode is not null)
        {
            foreach (var q in _queues.Values)
            {
                q.Enabled = false;
                q.DisableReason = "instance restarted in safe mode: " + _safeMode;
                q.Started = false;
                q.StopReason = "instance restarted in safe mode: " + _safeMode;
            }
            JobManagerLog.SafeMode(log, _safeMode);
        }
        var sync = SynchronizationContext.Current;
        _purgeTimer = new Timer(_ => sync?.Post(_ => PurgeInactive(), null), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        await flux.PublishAsync("job-manager.online", null, MessageFlags.None, cancellationToken).ConfigureAwait(true);
    }

    public async ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        if (_purgeTimer is not null)
        {
            await _purgeTimer.DisposeAsync().ConfigureAwait(true);
        }
        foreach (var s in _journal)
        {
            flux.RespondError(s, Errno.ENOSYS, "job-manager is unloading");
        }
        _journal.Clear();
        await _lastFlush.ConfigureAwait(true);
        await FlushAsync().ConfigureAwait(true);
        await CheckpointAsync().ConfigureAwait(true);
        UnloadJobtap();
        await StopHousekeepingAsync().ConfigureAwait(true);
    }

    public void Dispose()
    {
        _purgeTimer?.Dispose();
        _housekeepingStop.Dispose();
    }

    public ValueTask ValidateConfigAsync(FluxConfig proposed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        proposed.GetDuration("job-manager.inactive-age-limit", 0);
        proposed.GetInt64("job-manager.inactive-num-limit", 0);
        _ = QueueNames(proposed);
        _ = HousekeepingConfig.Read(proposed);
        JobtapConfUpdate(proposed);
        return ValueTask.CompletedTask;
    }

    public ValueTask ApplyConfigAsync(FluxConfig config, CancellationToken cancellationToken)
    {
        ApplyLimits(config);
        ConfigureQueues(config);
        _housekeeping = HousekeepingConfig.Read(config);
        PurgeInactive();
        TryAlloc();
        return ValueTask.CompletedTask;
    }

    private void ApplyLimits(FluxConfig config)
    {
        _inactiveAgeLimit = config.GetDuration("job-manager.inactive-age-limit", 0);
        _inactiveNumLimit = config.GetInt64("job-manager.inactive-num-limit", 0);
        if (_inactiveNumLimit < 0)
        {
            throw config.Error("job-manager.inactive-num-limit", "expected a count >= 0", config.Get("job-manager.inactive-num-limit"));
        }
    }

    private void Register(string method, MessageHandler handler, FluxRole allow = FluxRole.Owner) =>
        flux.RegisterHandler(MessageType.Request, "job-manager." + method, handler, allow);

    private Job Lookup(JsonObject req, Message msg, bool mustOwn)
    {
        var id = req["id"]?.GetValue<ulong>() ?? throw new FluxException(Errno.EPROTO, "missing job id");
        if (!_jobs.TryGetValue(id, out var job))
        {
            throw new FluxException(Errno.ENOENT, $"unknown job id {Fluid.Encode(id, FluidEncoding.F58)}");
        }
        if (mustOwn && (msg.RoleMask & FluxRole.Owner) == 0 && msg.UserId != job.UserId)
        {
            throw new FluxException(Errno.EPERM, "guests may only act on their own jobs");
        }
        return job;
    }

    private ValueTask OnGetInfo(Message msg)
    {
        flux.Respond(msg, new JsonObject { ["max_jobid"] = _maxJobId });
        return ValueTask.CompletedTask;
    }

    private ValueTask OnUrgency(Message msg)
    {
        var req = msg.GetJson();
        var job = Lookup(req, msg, mustOwn: true);
        var urgency = req["urgency"]?.GetValue<int>() ?? throw new FluxException(Errno.EPROTO, "missing urgency");
        var isOwner = (msg.RoleMask & FluxRole.Owner) != 0;
        if (urgency < UrgencyHold || urgency > UrgencyExpedite)
        {
            throw new FluxException(Errno.EINVAL, $"urgency must be from 0 to 31, got {urgency}");
        }
        if (!isOwner && urgency > UrgencyDefault)
        {
            throw new FluxException(Errno.EPERM, "guests may only set urgency from 0 to 16");
        }
        if ((job.State & JobState.Pending) == 0)
        {
            throw new FluxException(Errno.EINVAL, "urgency can only be changed while the job is pending");
        }
        var old = job.Urgency;
        Post(job, JobEventNames.Urgency, new JsonObject { ["urgency"] = urgency, ["userid"] = msg.UserId });
        flux.Respond(msg, new JsonObject { ["old_urgency"] = old });
        return ValueTask.CompletedTask;
    }

    private ValueTask OnRaise(Message msg)
    {
        var req = msg.GetJson();
        var job = Lookup(req, msg, mustOwn: true);
        var type = req["type"]?.GetValue<string>() ?? "cancel";
        var severity = req["severity"]?.GetValue<int>() ?? 0;
        var note = req["note"]?.GetValue<string>() ?? string.Empty;
        if (severity is < 0 or > 7)
        {
            throw new FluxException(Errno.EINVAL, "severity must be from 0 to 7");
        }
        if (type.Length == 0 || type.Any(char.IsWhiteSpace))
        {
            throw new FluxException(Errno.EINVAL, "exception type must be a non-empty word");
        }
        if (job.State == JobState.Inactive)
        {
            throw new FluxException(Errno.EINVAL, "job is inactive");
        }
        RaiseException(job, type, severity, note, msg.UserId);
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnKill(Message msg)
    {
        var req = msg.GetJson();
        var job = Lookup(req, msg, mustOwn: true);
        var signum = req["signum"]?.GetValue<int>() ?? 15;
        if ((job.State & JobState.Running) == 0)
        {
            throw new FluxException(Errno.EINVAL, "job is not running");
        }
        flux.Background(flux.PublishAsync("job-kill", new JsonObject { ["id"] = job.Id, ["signum"] = signum }), "job-kill event");
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    internal void RaiseException(Job job, string type, int severity, string note, uint userid)
    {
        var ctx = new JsonObject { ["type"] = type, ["severity"] = severity, ["note"] = note, ["userid"] = userid };
        Post(job, JobEventNames.Exception, ctx);
        if (severity == 0)
        {
            // The execution service watches this event to kill a running job's tasks.
            flux.Background(flux.PublishAsync("job-exception", new JsonObject { ["id"] = job.Id, ["type"] = type, ["severity"] = severity }), "job-exception event");
        }
    }

    private ValueTask OnWait(Message msg)
    {
        var req = msg.GetJson();
        var id = req["id"]?.GetValue<ulong>() ?? 0;
        if (id == 0 || id == ulong.MaxValue)
        {
            // Any waitable job of the caller (flux job wait with no ID).
            var done = _jobs.Values.Where(j => j.Waitable && j.UserId == msg.UserId && j.State == JobState.Inactive)
                .OrderBy(j => j.TInactive).FirstOrDefault();
            if (done is not null)
            {
                RespondWait(done, msg);
                return ValueTask.CompletedTask;
            }
            if (!_jobs.Values.Any(j => j.Waitable && j.UserId == msg.UserId))
            {
                throw new FluxException(Errno.ECHILD, "there are no waitable jobs");
            }
            _anyWaiters.Add(msg);
            return ValueTask.CompletedTask;
        }
        var job = Lookup(req, msg, mustOwn: true);
        if (job.State == JobState.Inactive)
        {
            _afterFlush.Add(() => RespondWait(job, msg));
            ScheduleFlush();
        }
        else
        {
            job.Waiters.Add(msg);
        }
        return ValueTask.CompletedTask;
    }

    private readonly List<Message> _anyWaiters = [];

    private void RespondWait(Job job, Message msg)
    {
        var success = !job.FatalException && job.WaitStatus is 0;
        string errstr;
        if (job.FatalException)
        {
            errstr = $"Fatal exception type={job.ExceptionType} {job.ExceptionNote}".TrimEnd();
        }
        else if (job.WaitStatus is int ws && ws != 0)
        {
            errstr = (ws & 0x7f) != 0
                ? $"task(s) {SignalName(ws & 0x7f)}"
                : $"task(s) exited with exit code {(ws >> 8) & 0xff}";
        }
        else
        {
            errstr = string.Empty;
        }
        if (job.Waitable && (msg.GetJsonOrNull()?["id"]?.GetValue<ulong>() ?? 0) is 0 or ulong.MaxValue)
        {
            job.Flags &= ~(int)SubmitFlags.Waitable;
        }
        flux.Respond(msg, new JsonObject
        {
            ["id"] = job.Id,
            ["success"] = success,
            ["errstr"] = errstr,
            ["status"] = job.WaitStatus ?? -1,
        });
    }

    internal static string SignalName(int signum) => signum switch
    {
        1 => "Hangup",
        2 => "Interrupt",
        3 => "Quit",
        6 => "Aborted",
        9 => "Killed",
        11 => "Segmentation fault",
        13 => "Broken pipe",
        14 => "Alarm clock",
        15 => "Terminated",
        _ => "Signal " + signum.ToString(CultureInfo.InvariantCulture),
    };

    private ValueTask OnDisconnect(Message msg)
    {
        var sender = msg.Sender;
        _journal.RemoveAll(m => m.Sender == sender);
        _anyWaiters.RemoveAll(m => m.Sender == sender);
        foreach (var j in _jobs.Values)
        {
            j.Waiters.RemoveAll(m => m.Sender == sender);
        }
        _idleWaiters.RemoveAll(w => w.Request.Sender == sender);
        return ValueTask.CompletedTask;
    }
}
