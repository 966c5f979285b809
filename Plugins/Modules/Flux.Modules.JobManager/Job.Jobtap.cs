// What the job manager keeps per job for jobtap plugins: dependencies, per-plugin data, events held during a callback.
using System.Text.Json.Nodes;
using Flux.Formats;

namespace Flux.Modules.JobManager;

internal sealed partial class Job
{
    /// <summary>Dependencies not yet removed (RFC 26); the job stays in DEPEND while any remain.</summary>
    public HashSet<string>? Dependencies { get; set; }

    /// <summary>Per-plugin data (flux_jobtap_job_aux_set), dropped when the job is destroyed.</summary>
    public Dictionary<(JobtapPlugin Plugin, string Key), object>? Aux { get; set; }

    /// <summary>How many plugin callbacks for this job are running (a job never changes state under one).</summary>
    public int InCallback { get; set; }

    /// <summary>Events posted while a callback ran, applied in order when it returns.</summary>
    public Queue<(string Name, JsonObject? Context)>? Deferred { get; set; }

    /// <summary>Counts posted events, so that a caller sees whether a callback's events moved the job on.</summary>
    public long EventCount { get; set; }

    /// <summary>Whether job-manager accepted the job (its submit event is posted).</summary>
    public bool Accepted => LastEvent is not null;

    /// <summary>An owner's unvalidated update made the job immutable for its user (set-flags "immutable").</summary>
    public bool Immutable { get; set; }

    // R parsed once for jobtap IN (from RUN on every topic reads it), redone when R is replaced.
    private (byte[] Source, JsonNode Tree)? _rTree;

    /// <summary>The parsed <see cref="R"/>, kept while R is the same (lent to IN objects one call at a time).</summary>
    public JsonNode? RTree
    {
        get
        {
            if (R is not { } r)
            {
                return null;
            }
            if (_rTree is not { } t || !ReferenceEquals(t.Source, r))
            {
                _rTree = t = (r, JsonNode.Parse(r)!);
            }
            return t.Tree;
        }
    }

    /// <summary>The state before the last transition and the eventlog line that made it (job.state.* IN prev_state, entry).</summary>
    public (JobState PrevState, byte[] Entry) LastTransition { get; set; }
}
