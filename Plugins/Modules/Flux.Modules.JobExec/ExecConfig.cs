// The [exec] table of flux-config-exec(5), read and checked: unknown keys, wrong types and
// values this build cannot honour are errors naming file, key and what is accepted.
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.JobExec;

internal sealed record ExecConfig(
    string? Imp,
    string? JobShell,
    double KillTimeout,
    int TermSignal,
    int KillSignal,
    int MaxKillCount,
    double BarrierTimeout,
    bool TestexecEnable,
    bool TestexecAllowGuests,
    double TestexecRunDuration,
    bool ShellInHost,
    double ShellReconnectTimeout)
{
    private static readonly string[] Keys = ["method", "imp", "service", "service-override", "job-shell", "kill-timeout", "term-signal", "kill-signal", "max-kill-count", "barrier-timeout", "sdexec-properties", "sdexec-stop-timer-sec", "sdexec-stop-timer-signal", "testexec", "shell-host", "shell-reconnect-timeout"];
    private static readonly string[] TestexecKeys = ["enable", "allow-guests", "run-duration"];

    public static ExecConfig From(FluxConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.CheckKeys("exec", Keys);
        c.CheckKeys("exec.testexec", TestexecKeys);
        var service = c.GetString("exec.service", "rexec");
        if (service != "rexec")
        {
            throw c.Error("exec.service", service == "sdexec"
                ? "sdexec needs systemd, which this build does not use; the supported value is \"rexec\""
                : "expected \"rexec\"", c.Get("exec.service"));
        }
        var method = c.GetString("exec.method");
        if (method is not null && method != "testexec")
        {
            throw c.Error("exec.method", "expected \"testexec\" (or leave it unset for real execution)", c.Get("exec.method"));
        }
        var maxKill = c.GetInt64("exec.max-kill-count", 8);
        if (maxKill < 1)
        {
            throw c.Error("exec.max-kill-count", "expected a count >= 1", c.Get("exec.max-kill-count"));
        }
        // Where job shells run: "process" (a flux-shell host per user, the default) or "broker" (in job-exec;
        // docs/architecture.md, "The job shell").
        var shellHost = c.GetString("exec.shell-host", "process");
        if (shellHost is not ("broker" or "process"))
        {
            throw c.Error("exec.shell-host", "expected \"process\" (job shells in a flux-shell host process) or \"broker\" (in job-exec)", c.Get("exec.shell-host"));
        }
        return new ExecConfig(
            c.GetString("exec.imp"),
            c.GetString("exec.job-shell"),
            c.GetDuration("exec.kill-timeout", 5),
            Signal(c, "exec.term-signal", 15),
            Signal(c, "exec.kill-signal", 9),
            (int)maxKill,
            c.GetDuration("exec.barrier-timeout", 1800),
            c.GetBool("exec.testexec.enable") || method == "testexec",
            c.GetBool("exec.testexec.allow-guests"),
            c.GetDuration("exec.testexec.run-duration", -1),
            shellHost == "process",
            ReconnectTimeout(c));
    }

    /// <summary>
    /// How long a shell host tries to reach a restarted broker, and how long the restarted job-exec
    /// waits for the host of a running job (docs/architecture.md, "The job shell"). flux-core's shell
    /// retries forever; here every wait ends.
    /// </summary>
    private static double ReconnectTimeout(FluxConfig c)
    {
        var seconds = c.GetDuration("exec.shell-reconnect-timeout", 300);
        return seconds > 0 ? seconds : throw c.Error("exec.shell-reconnect-timeout", "expected a duration greater than 0 like \"30s\" or \"5m\"", c.Get("exec.shell-reconnect-timeout"));
    }

    /// <summary>A signal given as a name (SIGTERM, TERM) or a number.</summary>
    public static int Signal(FluxConfig c, string key, int defaultValue)
    {
        var node = c.Get(key);
        if (node is null)
        {
            return defaultValue;
        }
        var text = node.GetValueKind() == System.Text.Json.JsonValueKind.Number ? node.ToJsonString() : node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : null;
        return text is not null && Signals.TryParse(text, out var n) ? n : throw c.Error(key, "expected a signal name like \"SIGTERM\" or a number", node);
    }

    public static double ParseDuration(System.Text.Json.Nodes.JsonNode? node) =>
        node is null ? -1
        : node.GetValueKind() == System.Text.Json.JsonValueKind.Number ? node.GetValue<double>()
        : Fsd.TryParse(node.GetValue<string>(), out var s) ? s : throw new FluxException(Errno.EINVAL, $"invalid duration {node.ToJsonString()}");
}
