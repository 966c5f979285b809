// prolog-start/finish and epilog-start/finish from jobtap plugins (flux_jobtap_prolog_start ... jobtap.c) and what they hold back.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    internal const string PrologStart = "prolog-start";
    internal const string PrologFinish = "prolog-finish";
    internal const string EpilogStart = "epilog-start";
    internal const string EpilogFinish = "epilog-finish";

    /// <summary>
    /// Posts a perilog event with jobtap.c's rules: prolog events not once the start request is
    /// sent, a prolog not started in CLEANUP, epilog events only in CLEANUP.
    /// </summary>
    internal void PerilogPost(Job job, bool prolog, bool start, string description, int status)
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        if ((prolog && job.ExecRequested)
            || (prolog && start && job.State == JobState.Cleanup)
            || (!prolog && job.State != JobState.Cleanup))
        {
            throw new FluxException(Errno.EINVAL,
                $"{(prolog ? "prolog" : "epilog")}-{(start ? "start" : "finish")} is not allowed for a job in {JobStateNames.Name(job.State)}{(prolog && job.ExecRequested ? " once it is started" : string.Empty)}");
        }
        var ctx = new JsonObject { ["description"] = description };
        if (!start)
        {
            ctx["status"] = status;
        }
        JobtapPost(job, prolog ? (start ? PrologStart : PrologFinish) : (start ? EpilogStart : EpilogFinish), ctx);
    }

    /// <summary>RFC 21 bookkeeping of a perilog event (event.c event_handle_perilog), called from Apply.</summary>
    private static void ApplyPerilog(Job job, string name)
    {
        var prolog = name is PrologStart or PrologFinish;
        if (prolog ? job.ExecRequested : job.State != JobState.Cleanup)
        {
            return;
        }
        if (name is PrologStart or EpilogStart)
        {
            job.PerilogActive++;
        }
        else if (job.PerilogActive > 0)
        {
            job.PerilogActive--;
        }
    }
}
