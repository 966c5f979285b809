// What a jobtap plugin may do to jobs from its handlers or its background work (flux-core's flux_jobtap_* calls).
using System.Text.Json.Nodes;

namespace Flux.Abstractions.Plugins;

/// <summary>
/// The job manager as a jobtap plugin sees it; one per plugin, asked for by constructor injection.
/// Call it only on the job manager's loop: from a handler, or from work started with
/// <see cref="IFlux.Background"/> (its continuations run there). Events posted for a job whose
/// handler is running are queued and applied when the handler returns, so a job's state never
/// changes under a running handler; posted for an idle job, they apply before the call returns.
/// Errors are <see cref="FluxException"/>: ENOENT for an unknown job, EINVAL for a call not allowed
/// in the job's state.
/// </summary>
public interface IJobtap
{
    /// <summary>The job of the running handler (flux-core's FLUX_JOBTAP_CURRENT_JOB).</summary>
    const ulong CurrentJob = ulong.MaxValue;

    /// <summary>Appends an event to a job's eventlog (RFC 21 events change its state as they would from anywhere).</summary>
    void PostEvent(ulong id, string name, JsonObject? context = null);

    /// <summary>Raises an exception on a job; severity 0 is fatal (RFC 21).</summary>
    void RaiseException(ulong id, string type, int severity, string note);

    /// <summary>Sets a job's priority; a job waiting in PRIORITY for one moves on to SCHED.</summary>
    void Reprioritize(ulong id, long priority);

    /// <summary>Asks every loaded plugin's <c>job.priority.get</c> for the priority of every pending job.</summary>
    void ReprioritizeAll();

    /// <summary>
    /// Adds a dependency (RFC 26) that holds the job in DEPEND until removed. Allowed in NEW and
    /// DEPEND only; adding one already present does nothing.
    /// </summary>
    void AddDependency(ulong id, string description);

    /// <summary>Removes a dependency; the last one removed lets the job leave DEPEND.</summary>
    void RemoveDependency(ulong id, string description);

    /// <summary>Keeps a value with a job for this plugin (null removes it); dropped when the job is destroyed.</summary>
    void SetAux(ulong id, string key, object? value);

    /// <summary>A value this plugin kept with a job, or null.</summary>
    object? GetAux(ulong id, string key);

    /// <summary>A job's base arguments as a handler's IN has them (id, userid, urgency, priority, state, t_submit, jobspec).</summary>
    JsonObject Lookup(ulong id);

    /// <summary>Whether an event of that name is in the job's eventlog.</summary>
    bool EventPosted(ulong id, string name);

    /// <summary>Calls this plugin's <c>job.event.NAME</c> handlers for every later event of the job.</summary>
    void Subscribe(ulong id);

    /// <summary>Stops <c>job.event.*</c> calls for a job.</summary>
    void Unsubscribe(ulong id);

    /// <summary>
    /// Posts <c>prolog-start</c> for the job of the running handler: its start request to the
    /// execution service waits until every prolog started is finished. EINVAL once the start
    /// request is sent or in CLEANUP.
    /// </summary>
    void PrologStart(string description);

    /// <summary>Posts <c>prolog-finish</c>; <paramref name="status"/> (a wait status, 0 for success) is informational. EINVAL once the start request is sent.</summary>
    void PrologFinish(ulong id, string description, int status);

    /// <summary>
    /// Posts <c>epilog-start</c> for the job of the running handler: its resources are not freed
    /// until every epilog started is finished. EINVAL outside CLEANUP.
    /// </summary>
    void EpilogStart(string description);

    /// <summary>Posts <c>epilog-finish</c>; <paramref name="status"/> is informational. EINVAL outside CLEANUP.</summary>
    void EpilogFinish(ulong id, string description, int status);

    /// <summary>Serves <c>job-manager.PLUGIN.METHOD</c> (PLUGIN without a builtin's leading dot), answered on the job manager's loop.</summary>
    IDisposable RegisterService(string method, MessageHandler handler, FluxRole allow = FluxRole.Owner);
}
