// FluxTestInstance's job pipeline: jobtap plugins by type or name, submitting jobspecs, following a job's events and state.
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Client.Connectors;
using Flux.Formats;

namespace Flux.Testing;

public sealed partial class FluxTestInstance
{
    /// <summary>The modules <see cref="FluxTestOptions.Jobs"/> loads after the KVS, in load order.</summary>
    public static IReadOnlyList<string> JobModules { get; } = ["job-manager", "job-ingest"];

    /// <summary>The modules <see cref="TestExecution.Simulated"/> and <see cref="TestExecution.Real"/> load after the job pipeline, in load order.</summary>
    public static IReadOnlyList<string> ExecutionModules { get; } = ["resource", "sched-simple", "job-exec"];

    private bool _jobs;
    private TestExecution _execution;

    // The modules an instance loads at start, in order.
    private static IEnumerable<string> Modules(FluxTestOptions options)
    {
        IEnumerable<string> list = KvsModules;
        if (options.Jobs)
        {
            list = list.Concat(JobModules);
        }
        if (options.Execution is TestExecution.Simulated or TestExecution.Real)
        {
            list = list.Concat(ExecutionModules);
        }
        return list;
    }

    // The configuration an execution mode adds, in a file of its own, or null.
    private static string? ExecutionConfig(TestExecution execution) => execution switch
    {
        TestExecution.None => null,
        TestExecution.Simulated => "[exec.testexec]\nenable = true\n",
        TestExecution.Real => "[exec]\nshell-host = \"broker\"\n",
        _ => throw new ArgumentOutOfRangeException(nameof(execution), execution, "not a TestExecution"),
    };

    /// <summary>
    /// A one-task RFC 25 (version 1) jobspec running <paramref name="command"/>, as <c>flux submit
    /// COMMAND</c> builds it (one slot of one core, the test's working directory and environment);
    /// change it with the builder's methods (<c>Tasks</c>, <c>Duration</c>, <c>SetAttr</c>, <c>Name</c> ...).
    /// </summary>
    public static JobspecBuilder Jobspec(params string[] command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Length == 0)
        {
            throw new ArgumentException("a jobspec needs a command: Jobspec(\"true\"), say", nameof(command));
        }
        return new JobspecBuilder(command).Cwd(Environment.CurrentDirectory).Environment(
            Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? "")));
    }

    /// <summary>
    /// Loads jobtap plugin <typeparamref name="TPlugin"/> (marked <c>[FluxPlugin(NAME, PluginKind.Jobtap)]</c>)
    /// into job-manager with <paramref name="conf"/> as its <c>Conf</c> (as <c>flux jobtap load NAME KEY=VAL...</c>)
    /// and returns its name. The plugin runs in the test's load context, on job-manager's loop, and
    /// sees the jobs already there as a plugin loaded at run time does. Errors are
    /// <see cref="FluxException"/>s: the plugin's own (a <c>Register</c> or <c>conf.update</c> refusal),
    /// EEXIST if a plugin of that name is loaded, EINVAL for a type that is not a jobtap plugin.
    /// </summary>
    public async Task<string> LoadJobtapAsync<TPlugin>(JsonObject? conf = null, CancellationToken cancellationToken = default)
        where TPlugin : class, IFluxPlugin
    {
        RequireJobs();
        var name = _inProcess.Add(typeof(TPlugin), PluginKind.Jobtap);
        await LoadJobtapAsync(name, conf, cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>
    /// Loads jobtap plugins as <c>flux jobtap load PLUGIN</c> does: <paramref name="plugin"/> is the path
    /// of a <c>.dll</c> (every jobtap plugin in it, in its own load context) or a name (a type loaded
    /// before by <see cref="LoadJobtapAsync{TPlugin}"/>, else found on <see cref="FluxTestOptions.JobtapPath"/>).
    /// Returns the names of the loaded plugins, in load order, builtins excluded.
    /// </summary>
    public async Task<IReadOnlyList<string>> LoadJobtapAsync(string plugin, JsonObject? conf = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(plugin);
        RequireJobs();
        var r = await Flux.RpcAsync("job-manager.jobtap", new JsonObject { ["load"] = plugin, ["conf"] = conf?.DeepClone() ?? new JsonObject() },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. (r?["plugins"] as JsonArray ?? []).Select(p => p!.GetValue<string>()).Where(n => !n.StartsWith('.'))];
    }

    /// <summary>Removes jobtap plugins (a name, a glob or <c>all</c>) as <c>flux jobtap remove</c> does; ENOENT if none matches.</summary>
    public async Task RemoveJobtapAsync(string nameOrGlob, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrGlob);
        RequireJobs();
        await Flux.RpcAsync("job-manager.jobtap", new JsonObject { ["remove"] = nameOrGlob }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What <c>flux jobtap query NAME</c> shows: the plugin's name, path and its <c>plugin.query</c> answer.</summary>
    public Task<JsonObject?> QueryJobtapAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        RequireJobs();
        return Flux.RpcAsync("job-manager.jobtap-query", new JsonObject { ["name"] = name }, cancellationToken: cancellationToken);
    }

    /// <summary>Submits a jobspec (see <see cref="Jobspec"/>) as the instance owner; see <see cref="SubmitAsync(JsonObject, int, CancellationToken)"/>.</summary>
    public Task<ulong> SubmitAsync(JobspecBuilder jobspec, int urgency = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobspec);
        return SubmitAsync(jobspec.Build(), urgency, cancellationToken);
    }

    /// <summary>
    /// Submits a jobspec to job-ingest as the instance owner, as <c>flux job submit</c> does, and returns
    /// the job's id once job-manager has accepted it. A refusal (a validator's, a frobnicator's, a
    /// jobtap plugin's at <c>job.create</c> or <c>job.validate</c>) throws a <see cref="FluxException"/>
    /// carrying its errnum and message.
    /// </summary>
    public async Task<ulong> SubmitAsync(JsonObject jobspec, int urgency = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobspec);
        RequireJobs();
        var j = SignedJob.Wrap(WithShellRc(jobspec).ToJsonString(), PeerCredentials.CurrentUid);
        var r = await Flux.RpcAsync("job-ingest.submit", new JsonObject { ["J"] = j, ["urgency"] = urgency, ["flags"] = 0 },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return r!["id"]!.GetValue<ulong>();
    }

    /// <summary>The job's eventlog (RFC 21 events, in order) as job-manager has it now: what <c>flux job eventlog</c> shows.</summary>
    public async Task<IReadOnlyList<EventlogEntry>> EventlogAsync(ulong id, CancellationToken cancellationToken = default)
    {
        RequireJobs();
        var events = new List<EventlogEntry>();
        await foreach (var entry in JournalAsync(id, cancellationToken).ConfigureAwait(false))
        {
            if (entry is null)
            {
                return events;
            }
            events.Add(entry);
        }
        throw new FluxException(Errno.EPROTO, "job-manager.events-journal ended before its backlog did");
    }

    /// <summary>
    /// Waits until job <paramref name="id"/> has an event named <paramref name="name"/> in its eventlog
    /// (one already there counts) and returns it. Ends with a <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/> (default 30 s) naming the events seen, or when
    /// <paramref name="cancellationToken"/> is canceled.
    /// </summary>
    public async Task<EventlogEntry> WaitForEventAsync(ulong id, string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return (await WaitAsync(id, $"event '{name}'", (e, _) => e.Name == name, timeout, cancellationToken).ConfigureAwait(false)).Entry;
    }

    /// <summary>
    /// Waits until job <paramref name="id"/> is in a state of <paramref name="state"/> (one state, or a
    /// mask such as <c>JobState.Pending</c>), following its eventlog by RFC 21's rules, and returns the
    /// state. Ends with a <see cref="TimeoutException"/> after <paramref name="timeout"/> (default 30 s)
    /// naming the state reached, or when <paramref name="cancellationToken"/> is canceled.
    /// </summary>
    public async Task<JobState> WaitForStateAsync(ulong id, JobState state, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (state == JobState.None)
        {
            throw new ArgumentException("JobState.None is no state a job waits for", nameof(state));
        }
        return (await WaitAsync(id, $"state {state}", (_, s) => (s & state) != 0, timeout, cancellationToken).ConfigureAwait(false)).State;
    }

    /// <summary>The state an RFC 21 event moves a job in <paramref name="state"/> to.</summary>
    internal static JobState Next(JobState state, EventlogEntry e) => e.Name switch
    {
        JobEventNames.Submit => JobState.New,
        JobEventNames.Validate when state == JobState.New => JobState.Depend,
        JobEventNames.Invalidate => JobState.Inactive,
        JobEventNames.Depend when state == JobState.Depend => JobState.Priority,
        JobEventNames.Priority when state == JobState.Priority => JobState.Sched,
        JobEventNames.FluxRestart when state == JobState.Sched => JobState.Priority,
        JobEventNames.Alloc when state == JobState.Sched => JobState.Run,
        JobEventNames.Finish when state == JobState.Run => JobState.Cleanup,
        JobEventNames.Exception when (state & (JobState.Pending | JobState.Run)) != 0 && e.Context?["severity"]?.GetValue<int>() == 0 => JobState.Cleanup,
        JobEventNames.Clean when state == JobState.Cleanup => JobState.Inactive,
        _ => state,
    };

    private async Task<(EventlogEntry Entry, JobState State)> WaitAsync(ulong id, string what, Func<EventlogEntry, JobState, bool> done, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        RequireJobs();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(limit);
        var state = JobState.None;
        var seen = new List<string>();
        try
        {
            await foreach (var e in JournalAsync(id, cts.Token).ConfigureAwait(false))
            {
                if (e is null)
                {
                    continue;
                }
                seen.Add(e.Name);
                state = Next(state, e);
                if (done(e, state))
                {
                    return (e, state);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"job {Fluid.Encode(id, FluidEncoding.F58)}: no {what} within {limit.TotalSeconds:0.###}s; "
                + $"its events: {(seen.Count == 0 ? "none (unknown job?)" : string.Join(", ", seen))}; state {(state == JobState.None ? "none" : JobStateNames.Name(state))}");
        }
        throw new FluxException(Errno.EPROTO, "job-manager.events-journal ended while waiting for job " + id);
    }

    // job-manager's journal, this job's entries only: its backlog, then null once the backlog is over, then live events.
    private async IAsyncEnumerable<EventlogEntry?> JournalAsync(ulong id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var m in Flux.StreamAsync(Message.Request("job-manager.events-journal", new JsonObject()), cancellationToken).ConfigureAwait(false))
        {
            var o = m.GetJson();
            var jid = o["id"]!.GetValue<long>();
            if (jid == -1)
            {
                yield return null;
                continue;
            }
            if ((ulong)jid != id)
            {
                continue;
            }
            foreach (var e in o["events"]!.AsArray())
            {
                yield return Eventlog.ParseEntry(e!.ToJsonString() + "\n");
            }
        }
    }

    private void RequireJobs()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_jobs)
        {
            throw new InvalidOperationException("this instance was started without the job pipeline: set FluxTestOptions.Jobs = true");
        }
    }
}
