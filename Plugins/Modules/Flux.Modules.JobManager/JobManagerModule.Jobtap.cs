// Calling jobtap plugins: topics in load order, the job's IN arguments, faults, and what plugins do to jobs.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    private readonly List<JobtapPlugin> _plugins = [];
    // Per topic, each plugin's first matching handler in load order; rebuilt when a plugin loads or goes.
    private readonly Dictionary<string, (JobtapPlugin Plugin, PluginHandler Handler)[]> _topicHandlers = new(StringComparer.Ordinal);
    private Job? _currentJob;

    // Indexed by the state's bit (RFC 21: NEW=1 ... INACTIVE=64); JobState also has mask values, so not Enum.GetValues.
    private static readonly string[] StateTopics = [.. Enumerable.Range(0, 7).Select(bit => "job.state." + JobStateNames.Name((JobState)(1 << bit)).ToLowerInvariant())];

    private static string StateTopic(JobState s) => StateTopics[System.Numerics.BitOperations.Log2((uint)s)];

    // "job.event.NAME" per event name, built once: subscribers get one call per event of their jobs.
    private readonly Dictionary<string, string> _eventTopics = new(StringComparer.Ordinal);

    private string EventTopic(string name)
    {
        if (!_eventTopics.TryGetValue(name, out var topic))
        {
            _eventTopics[name] = topic = "job.event." + name;
        }
        return topic;
    }

    private (JobtapPlugin Plugin, PluginHandler Handler)[] HandlersFor(string topic)
    {
        if (!_topicHandlers.TryGetValue(topic, out var list))
        {
            list = [.. _plugins.Select(p => (p, p.HandlerFor(topic)!)).Where(x => x.Item2 is not null)];
            _topicHandlers[topic] = list;
        }
        return list;
    }

    // IN objects built during the calls in progress that hold their job's shared parsed jobspec or R.
    private readonly List<JsonObject> _sharedInputs = [];

    /// <summary>
    /// The base IN arguments of a job topic (jobtap.c): id, userid, urgency, priority, state, t_submit,
    /// jobspec, R. Within a call the jobspec and R are the one parsed tree each job keeps (a bulk
    /// submission parses its jobspec once, not once per job and topic; R is parsed once per job, not
    /// once per topic from RUN on), lent to one IN at a time and taken back when the call returns; a
    /// nested call for the same tree gets a copy.
    /// </summary>
    private JsonObject JobArgs(Job job)
    {
        var spec = job.Spec.Tree;
        var r = job.RTree;
        var o = JobArgs(job, spec.Parent is null ? spec : spec.DeepClone(), r is null || r.Parent is null ? r : r.DeepClone());
        if (spec.Parent == o || (r is not null && r.Parent == o))
        {
            _sharedInputs.Add(o);
        }
        return o;
    }

    private void ReturnSharedInputs(int mark)
    {
        for (var i = _sharedInputs.Count - 1; i >= mark; i--)
        {
            _sharedInputs[i].Remove("jobspec");
            _sharedInputs[i].Remove("R");
        }
        _sharedInputs.RemoveRange(mark, _sharedInputs.Count - mark);
    }

    /// <summary>A job's IN arguments with a jobspec and R of its own (IJobtap.Lookup: the caller may keep them).</summary>
    internal static JsonObject JobArgsCopy(Job job) => JobArgs(job, JsonNode.Parse(job.Spec.Redacted)!, job.R is null ? null : JsonNode.Parse(job.R));

    private static JsonObject JobArgs(Job job, JsonNode jobspec, JsonNode? r)
    {
        var o = new JsonObject
        {
            ["id"] = job.Id,
            ["userid"] = job.UserId,
            ["urgency"] = job.Urgency,
            ["priority"] = job.Priority,
            ["state"] = (int)job.State,
            ["t_submit"] = job.TSubmit,
            ["jobspec"] = jobspec,
        };
        if (r is not null)
        {
            o["R"] = r;
        }
        // The event that ended the job: a fatal exception, else finish (what .dependency-after reads).
        if (job.FatalException)
        {
            o["end_event"] = new JsonObject { ["name"] = JobEventNames.Exception, ["context"] = new JsonObject { ["type"] = job.ExceptionType, ["severity"] = 0, ["note"] = job.ExceptionNote } };
        }
        else if (job.WaitStatus is int status)
        {
            o["end_event"] = new JsonObject { ["name"] = JobEventNames.Finish, ["context"] = new JsonObject { ["status"] = status } };
        }
        return o;
    }

    /// <summary>
    /// Calls a job topic on every plugin that handles it, in load order, stopping at the first
    /// failure (jobtap.c). Events the plugins post for the job meanwhile are applied after. A plugin
    /// that throws is logged and named in the failure's message.
    /// </summary>
    private bool CallJob(Job job, string topic, PluginArgs args, JobtapPlugin? only = null)
    {
        var handlers = HandlersFor(topic);
        if (handlers.Length == 0)
        {
            return true;
        }
        var ok = true;
        var prev = _currentJob;
        var mark = _sharedInputs.Count;
        _currentJob = job;
        job.InCallback++;
        try
        {
            foreach (var (plugin, handler) in handlers)
            {
                if ((only is null || only == plugin) && !Invoke(plugin, handler, topic, args))
                {
                    ok = false;
                    break;
                }
            }
        }
        finally
        {
            ReturnSharedInputs(mark);
            _currentJob = prev;
            job.InCallback--;
        }
        if (job.InCallback == 0 && job.Accepted)
        {
            DrainDeferred(job);
        }
        return ok;
    }

    private bool Invoke(JobtapPlugin plugin, PluginHandler handler, string topic, PluginArgs args)
    {
        try
        {
            if (handler(topic, args))
            {
                return true;
            }
            args.ErrorMessage ??= $"rejected by job-manager plugin '{plugin.Name}'";
            return false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            JobtapLog.PluginFault(log, plugin.Name, topic, ex.Message);
            args.ErrorMessage = $"jobtap plugin {plugin.Name} failed at {topic}: {ex.Message}";
            return false;
        }
    }

    /// <summary>A job topic whose failure is not the job's refusal: a plugin's fault is named in a non-fatal exception.</summary>
    private void Notify(Job job, string topic, Action<JsonObject>? extra = null)
    {
        if (HandlersFor(topic).Length == 0)
        {
            return;
        }
        var args = new PluginArgs(() => WithExtra(JobArgs(job), extra));
        if (!CallJob(job, topic, args) && args.ErrorMessage is { } error && job.State != JobState.Inactive && job.Accepted)
        {
            RaiseException(job, "jobtap", 1, error, 0);
        }
    }

    // A job restored in PRIORITY made no transition in this job-manager: it has no entry to show.
    private static void TransitionArgs(Job job, JsonObject o)
    {
        if (job.LastTransition.Entry is { } entry)
        {
            o["prev_state"] = (int)job.LastTransition.PrevState;
            o["entry"] = JsonNode.Parse(entry);
        }
    }

    // The per-topic IN keys go straight into the job's IN object (no intermediate object to copy from).
    private static JsonObject WithExtra(JsonObject o, Action<JsonObject>? extra)
    {
        extra?.Invoke(o);
        return o;
    }

    /// <summary>Called by Post after an event is applied: job.state.STATE on a transition, job.event.NAME for subscribers.</summary>
    private void JobtapOnEvent(Job job, JobState before, string name, byte[] line)
    {
        if (before != job.State)
        {
            job.LastTransition = (before, line);
            // job.state.priority is called by RequestPriority, which reads the priority it returns.
            if (job.State != JobState.Priority)
            {
                Notify(job, StateTopic(job.State), o => TransitionArgs(job, o));
            }
        }
        if (name == JobEventNames.JobspecUpdate)
        {
            Notify(job, "job.update", o => o["updates"] = JsonNode.Parse(line)!["context"]?.DeepClone());
        }
        foreach (var p in _plugins)
        {
            if (p.Subscriptions.Count > 0 && p.Subscriptions.Contains(job.Id) && p.HandlerFor(EventTopic(name)) is { } h)
            {
                var args = new PluginArgs(() => WithExtra(JobArgs(job), o => o["entry"] = JsonNode.Parse(line)));
                CallOne(job, p, h, EventTopic(name), args);
            }
        }
    }

    private void CallOne(Job job, JobtapPlugin plugin, PluginHandler handler, string topic, PluginArgs args)
    {
        var prev = _currentJob;
        var mark = _sharedInputs.Count;
        _currentJob = job;
        job.InCallback++;
        var ok = true;
        try
        {
            ok = Invoke(plugin, handler, topic, args);
        }
        finally
        {
            ReturnSharedInputs(mark);
            _currentJob = prev;
            job.InCallback--;
        }
        if (job.InCallback == 0 && job.Accepted)
        {
            DrainDeferred(job);
        }
        if (!ok && job.State != JobState.Inactive)
        {
            RaiseException(job, "jobtap", 1, args.ErrorMessage!, 0);
        }
    }

    private void DrainDeferred(Job job)
    {
        while (job.InCallback == 0 && job.Deferred is { Count: > 0 } q)
        {
            var (name, ctx) = q.Dequeue();
            Post(job, name, ctx);
        }
    }

    /// <summary>
    /// job.state.priority: the priority a plugin gives in OUT moves the job to SCHED; with none, the
    /// job waits in PRIORITY until a plugin calls Reprioritize (flux_jobtap_priority_unavail).
    /// </summary>
    private void RequestPriority(Job job)
    {
        var args = new PluginArgs(() => WithExtra(JobArgs(job), o => TransitionArgs(job, o)));
        var ok = CallJob(job, StateTopic(JobState.Priority), args);
        if (!ok && job.State == JobState.Priority)
        {
            RaiseException(job, "jobtap", 0, args.ErrorMessage ?? "priority plugin failed", 0);
            return;
        }
        if (job.State == JobState.Priority && args.HasOut && args.Out["priority"] is { } p)
        {
            Post(job, JobEventNames.Priority, new JsonObject { ["priority"] = p.GetValue<long>() });
        }
    }

    /// <summary>Asks job.priority.get for every pending job's priority (flux_jobtap_reprioritize_all).</summary>
    internal void ReprioritizeAll()
    {
        foreach (var job in _jobs.Values.Where(j => j.State is JobState.Sched or JobState.Priority).ToList())
        {
            var args = new PluginArgs(() => JobArgs(job));
            if (CallJob(job, "job.priority.get", args) && args.HasOut && args.Out["priority"] is { } p)
            {
                JobtapReprioritize(job, p.GetValue<long>());
            }
        }
    }

    internal void JobtapReprioritize(Job job, long priority)
    {
        if (job.State is not (JobState.Priority or JobState.Sched))
        {
            throw new FluxException(Errno.EINVAL, "a job's priority can be set only in PRIORITY or SCHED");
        }
        if (job.State == JobState.Priority || job.Priority != priority)
        {
            JobtapPost(job, JobEventNames.Priority, new JsonObject { ["priority"] = priority });
        }
    }

    /// <summary>A plugin's event: held while the job is in a callback or not yet accepted, else posted now.</summary>
    internal void JobtapPost(Job job, string name, JsonObject? context)
    {
        if (job.State == JobState.Inactive)
        {
            throw new FluxException(Errno.EINVAL, "job is inactive");
        }
        if (job.InCallback > 0 || !job.Accepted)
        {
            (job.Deferred ??= new()).Enqueue((name, context));
            return;
        }
        Post(job, name, context);
    }

    internal Job JobtapJob(ulong id)
    {
        if (id == IJobtap.CurrentJob)
        {
            return _currentJob ?? throw new FluxException(Errno.EINVAL, "no current job: not called from a job topic");
        }
        if (_currentJob?.Id == id)
        {
            return _currentJob;
        }
        return _jobs.TryGetValue(id, out var job) ? job : throw new FluxException(Errno.ENOENT, $"unknown job id {Fluid.Encode(id, FluidEncoding.F58)}");
    }

    internal void DependencyAdd(Job job, string description)
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        if (job.State is not (JobState.New or JobState.Depend))
        {
            throw new FluxException(Errno.EINVAL, "dependencies can be added only in NEW or DEPEND");
        }
        if ((job.Dependencies ??= new(StringComparer.Ordinal)).Add(description))
        {
            JobtapPost(job, JobEventNames.DependencyAdd, new JsonObject { ["description"] = description });
        }
    }

    internal void DependencyRemove(Job job, string description)
    {
        if (job.Dependencies is null || !job.Dependencies.Remove(description))
        {
            throw new FluxException(Errno.ENOENT, $"job has no dependency '{description}'");
        }
        JobtapPost(job, JobEventNames.DependencyRemove, new JsonObject { ["description"] = description });
    }

    private static bool HasDependencies(Job job) => job.Dependencies is { Count: > 0 };
}
