// How one of prolog and epilog runs, from its [job-manager.prolog|epilog] table (perilog.c struct perilog_procdesc).
using System.Text.Json.Nodes;
using Flux.SystemScripts;

namespace Flux.Jobtap.Perilog;

/// <summary>
/// <paramref name="Timeout"/> is seconds, 0 for none (the prolog's default is 30m, the epilog's none);
/// <paramref name="KillTimeout"/> is how long SIGTERM may take before the ranks still running are
/// drained and the finish event is posted anyway (5s, prolog only); <paramref name="CancelOnException"/>
/// kills a running prolog (default) or epilog when the job gets a fatal exception.
/// </summary>
internal sealed record PerilogProcDesc(bool Prolog, ScriptCommand Command, bool PerRank, double Timeout, double KillTimeout, bool CancelOnException)
{
    public string Name => Prolog ? "prolog" : "epilog";

    /// <summary>The query form of perilog.c's procdesc_to_json (no command: the system scripts run).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        if (Command.Argv is { } argv)
        {
            o["command"] = new JsonArray([.. argv.Select(a => (JsonNode?)a)]);
        }
        o["per_rank"] = PerRank;
        o["cancel_on_exception"] = CancelOnException;
        o["timeout"] = Timeout;
        o["kill-timeout"] = KillTimeout;
        return o;
    }
}
