// The shell options (flux-shell-options(7)) this job shell acts on, and the first one it would ignore.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.Shell;

/// <summary>
/// The options under <c>attributes.system.shell.options</c> that the shell reads, with the values it
/// understands: <c>output.{stdout,stderr}.{type,path,label}</c>, <c>output.stdout.buffer.type</c>,
/// <c>output.mode</c>, <c>output.batch-timeout</c>, <c>input.stdin.{type,path}</c>, <c>pty</c>, <c>label-io</c>,
/// <c>signal</c>, <c>taskmap</c>, <c>initrc</c>, <c>userrc</c>, <c>verbose</c>, and those of the builtin shell plugins:
/// <c>cpu-affinity</c>, <c>gpu-affinity</c>, <c>exit-timeout</c>, <c>exit-on-error</c>, <c>stop-tasks-in-exec</c>, <c>rlimit</c>, <c>pmi</c> and
/// <c>pmi-simple.{kvs,exchange.k,nomap}</c>. <c>flux run/submit</c> refuse any other (<c>-o stage-in</c>...)
/// instead of accepting an option that would do nothing. The shell itself still runs a job that
/// carries one (<c>-o stage-in</c> from flux-core's tools, say), as flux-shell does with
/// options no plugin reads.
/// </summary>
public static class ShellOptions
{
    /// <summary>The first option the shell does not act on, as (dotted name, why), or null when all are understood.</summary>
    public static (string Name, string Why)? Unsupported(JsonObject? options)
    {
        foreach (var (key, value) in options ?? [])
        {
            var problem = key switch
            {
                "output" => Output(value),
                "input" => Object(value, "input", new() { ["stdin"] = v => Object(v, "input.stdin", new() { ["type"] = t => OneOf(t, "input.stdin.type", "file", "service"), ["path"] = p => String(p, "input.stdin.path") }) }),
                "pty" => Pty(value),
                "label-io" => value is JsonObject o ? ($"{key}.{o.FirstOrDefault().Key}", NotYet) : null,
                // The initrc step (flux-shell-initrc(5)): the rc file replacing the system one, the user's, and verbosity.
                "initrc" or "userrc" => String(value, key),
                "verbose" => value?.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? null : (key, "expected a number"),
                "signal" => Object(value, "signal", new() { ["signum"] = n => Number(n, "signal.signum"), ["timeleft"] = n => Number(n, "signal.timeleft") }),
                "cpu-affinity" => CpuAffinity(value),
                "gpu-affinity" => OneOf(value, "gpu-affinity", "on", "off", "per-task"),
                "exit-timeout" => value is JsonValue t && ((t.TryGetValue(out string? timeout) && (timeout == "none" || Flux.Formats.Fsd.TryParse(timeout, out _)))
                    || (t.GetValueKind() == JsonValueKind.Number && t.GetValue<double>() >= 0))
                    ? null
                    : ("exit-timeout", "expected a duration (30s, 1m...) or \"none\""),
                "exit-on-error" => null,
                // flux-core's ptrace builtin (a debugger's launch): true/false or an integer, > 0 stops the tasks in exec.
                "stop-tasks-in-exec" => value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                    || (value is JsonValue sv && sv.GetValueKind() == JsonValueKind.Number && long.TryParse(sv.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
                    ? null
                    : (key, "expected true, false or an integer (1 stops the tasks in exec)"),
                "rlimit" => Rlimit(value),
                "taskmap" => TaskMapOption(value),
                // The pmi-simple builtin (Flux.ShellPlugins.Pmi): a list such as "simple", "pmi2" or "off".
                "pmi" => String(value, "pmi"),
                "pmi-simple" => Object(value, "pmi-simple", new()
                {
                    ["kvs"] = k => OneOf(k, "pmi-simple.kvs", "exchange", "native"),
                    ["exchange"] = e => Object(e, "pmi-simple.exchange", new() { ["k"] = k => Number(k, "pmi-simple.exchange.k") }),
                    ["nomap"] = n => Number(n, "pmi-simple.nomap"),
                }),
                _ => (key, NotYet),
            };
            if (problem is not null)
            {
                return problem;
            }
        }
        return null;
    }

    private const string NotYet = "not supported yet";

    /// <summary>The limit names of the rlimit builtin (flux-core's rlimit.c): the kernel's RLIMIT_* in lower case, and ofile.</summary>
    private static readonly string[] RlimitNames =
        ["cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "ofile", "memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"];

    /// <summary>taskmap={scheme, value} (flux run --taskmap): block, cyclic[:N] or manual:TASKMAP; other schemes (hostfile) are refused.</summary>
    private static (string, string)? TaskMapOption(JsonNode? value)
    {
        if (value is not JsonObject o || o["scheme"] is not JsonValue s || !s.TryGetValue(out string? scheme))
        {
            return ("taskmap", "expected {scheme, value} with scheme block, cyclic or manual");
        }
        var text = o["value"] is JsonValue v && v.TryGetValue(out string? t) ? t : o["value"] is null ? string.Empty : null;
        if (text is null)
        {
            return ("taskmap.value", "expected a string");
        }
        if (scheme is not ("block" or "cyclic" or "manual"))
        {
            return ($"taskmap.{scheme}", NotYet + " (schemes: block, cyclic[:N], manual:TASKMAP)");
        }
        try
        {
            // The counts only matter to manual, which the shell checks against the job's nodes.
            _ = scheme == "manual" ? TaskMap.Decode(text) : TaskMap.ForJob([1], o);
            return null;
        }
        catch (Flux.Abstractions.FluxException ex)
        {
            return ("taskmap", ex.Message);
        }
    }

    /// <summary>What flux-shell says of <c>-o pty.interactive</c>, which this shell does not serve.</summary>
    public const string PtyInteractiveNotYet =
        "not supported yet (the interactive pty that flux job attach reaches through the terminus protocol; flux run --pty gives every task a terminal and forwards the local one instead)";

    /// <summary>
    /// pty (flux-shell-options(7)): a flag (every task on a pty, captured), or {ranks: "all"|IDSET|N, capture};
    /// pty.interactive is refused, not ignored.
    /// </summary>
    private static (string, string)? Pty(JsonNode? value) => value is not JsonObject
        ? null
        : Object(value, "pty", new()
        {
            ["ranks"] = r => PtyRanks(r) is null ? ("pty.ranks", "expected \"all\", a task rank or an idset of task ranks (0,2-3)") : null,
            ["capture"] = c => c?.GetValueKind() is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number ? null : ("pty.capture", "expected true or false"),
            // Refused as every option nothing acts on; the shell says more when a job carries it (PtyInteractiveNotYet).
            ["interactive"] = _ => ("pty.interactive", NotYet),
        });

    /// <summary>The task ranks of a pty.ranks value: null when it is not "all", a rank or an idset; an empty set stands for all.</summary>
    public static Flux.Formats.IdSet? PtyRanks(JsonNode? value)
    {
        if (value is not JsonValue v)
        {
            return null;
        }
        if (v.GetValueKind() == JsonValueKind.Number)
        {
            return uint.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rank)
                ? Flux.Formats.IdSet.Parse(rank.ToString(System.Globalization.CultureInfo.InvariantCulture))
                : null;
        }
        if (!v.TryGetValue(out string? text))
        {
            return null;
        }
        return text == "all" ? Flux.Formats.IdSet.Empty : Flux.Formats.IdSet.TryParse(text, out var set) && !set.IsEmpty ? set : null;
    }

    /// <summary>rlimit.NAME=VALUE: a known limit name and an integer (-1 for unlimited).</summary>
    private static (string, string)? Rlimit(JsonNode? value)
    {
        if (value is not JsonObject o)
        {
            return ("rlimit", "expected an object of NAME=VALUE (rlimit.nofile=1024)");
        }
        foreach (var (name, v) in o)
        {
            if (!RlimitNames.Contains(name))
            {
                return ($"rlimit.{name}", "unknown limit (expected one of " + string.Join(", ", RlimitNames) + ")");
            }
            if (v is not JsonValue n || n.GetValueKind() != JsonValueKind.Number || !((long.TryParse(n.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l) && l >= -1)
                || ulong.TryParse(n.ToJsonString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)))
            {
                return ($"rlimit.{name}", "expected an integer limit, -1 for unlimited");
            }
        }
        return null;
    }

    /// <summary>cpu-affinity=[verbose,][dry-run,]on|off|per-task|map:LIST (LIST: CPU id sets separated by ';').</summary>
    private static (string, string)? CpuAffinity(JsonNode? value)
    {
        if (value is JsonValue v && v.TryGetValue(out string? s))
        {
            while (s.StartsWith("verbose,", StringComparison.Ordinal) || s.StartsWith("dry-run,", StringComparison.Ordinal))
            {
                s = s[8..];
            }
            if (s is "on" or "off" or "per-task"
                || (s.StartsWith("map:", StringComparison.Ordinal) && s[4..].Split(';').All(p => Flux.Formats.IdSet.TryParse(p, out var set) && !set.IsEmpty)))
            {
                return null;
            }
        }
        return ("cpu-affinity", "expected on, off, per-task or map:LIST");
    }

    private static (string, string)? Output(JsonNode? value)
    {
        (string, string)? Stream(JsonNode? v, string name) => Object(v, name, new()
        {
            ["type"] = t => OneOf(t, name + ".type", "file", "kvs"),
            ["path"] = p => String(p, name + ".path"),
            // flux run -l with --output: each line in the file prefixed with its task rank.
            ["label"] = l => l?.GetValueKind() is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number ? null : (name + ".label", "expected true or false"),
            // stderr is always written as it comes: only "none" describes what happens to it.
            ["buffer"] = b => Object(b, name + ".buffer", new() { ["type"] = t => name.EndsWith("stderr", StringComparison.Ordinal) ? OneOf(t, name + ".buffer.type", "none") : OneOf(t, name + ".buffer.type", "none", "line") }),
        });
        return Object(value, "output", new()
        {
            ["stdout"] = v => Stream(v, "output.stdout"),
            ["stderr"] = v => Stream(v, "output.stderr"),
            ["mode"] = m => OneOf(m, "output.mode", "truncate", "append"),
            // Seconds (flux-core reads a number) or an FSD: how long the shell gathers output before committing it.
            ["batch-timeout"] = b => b is JsonValue bv
                && ((bv.GetValueKind() == JsonValueKind.Number && bv.GetValue<double>() >= 0) || (bv.TryGetValue(out string? fsd) && Flux.Formats.Fsd.TryParse(fsd, out _)))
                ? null
                : ("output.batch-timeout", "expected a number of seconds or a duration (0.5, 50ms...)"),
        });
    }

    private static (string, string)? Object(JsonNode? value, string name, Dictionary<string, Func<JsonNode?, (string, string)?>> keys)
    {
        if (value is not JsonObject o)
        {
            return (name, "expected an object of " + string.Join(", ", keys.Keys));
        }
        foreach (var (k, v) in o)
        {
            var problem = keys.TryGetValue(k, out var check) ? check(v) : ($"{name}.{k}", NotYet);
            if (problem is not null)
            {
                return problem;
            }
        }
        return null;
    }

    private static (string, string)? OneOf(JsonNode? value, string name, params string[] allowed) =>
        value is JsonValue v && v.TryGetValue(out string? s) && allowed.Contains(s)
            ? null
            : (name, "expected " + string.Join(" or ", allowed.Select(a => $"\"{a}\"")));

    private static (string, string)? String(JsonNode? value, string name) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? null : (name, "expected a string");

    private static (string, string)? Number(JsonNode? value, string name) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? null : (name, "expected a number");
}
