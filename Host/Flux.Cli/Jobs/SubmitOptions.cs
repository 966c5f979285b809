// The option set `flux submit` and `flux run` share, and the jobspec it builds (RFC 14/25).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Jobs;

internal static class SubmitOptions
{
    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        new("ntasks", 'n', "N", "Number of tasks to start."),
        new("cores-per-task", 'c', "N", "Cores to allocate per task."),
        new("gpus-per-task", 'g', "N", "GPUs to allocate per task."),
        new("nodes", 'N', "N", "Number of nodes to allocate."),
        new("exclusive", 'x', null, "Allocate whole nodes."),
        new("tasks-per-core", null, "N", "Run N tasks on each allocated core (fewer cores than tasks; with -n)."),
        new("time-limit", 't', "MIN|FSD", "Time limit in minutes, or an FSD like 30s, 2h."),
        new("queue", 'q', "NAME", "Submit to a queue."),
        new("urgency", null, "N", "Urgency 0-31 (0 holds the job, 31 expedites it; default 16)."),
        new("job-name", null, "NAME", "Set the job's name."),
        new("setattr", 'S', "KEY[=VAL]", "Set jobspec attribute KEY (system.KEY unless it starts with user. or system.).", Repeatable: true),
        new("setopt", 'o', "KEY[=VAL]", "Set shell option KEY (a bare KEY means 1; VAL may be JSON).", Repeatable: true),
        new("env", null, "RULE", "Environment rule: VAR=VAL sets, -PATTERN removes, PATTERN imports, ^FILE reads rules.", Repeatable: true),
        new("env-remove", null, "PATTERN", "Remove environment variables matching PATTERN.", Repeatable: true),
        new("env-file", null, "FILE", "Read environment rules from FILE.", Repeatable: true),
        new("cwd", null, "DIR", "Run in DIR (default: the current directory)."),
        new("dependency", null, "URI", "Dependency scheme:value[?k=v] (RFC 26), e.g. afterok:ƒ2abc.", Repeatable: true),
        new("flags", null, "LIST", "Comma-separated submit flags: waitable, debug, novalidate."),
        new("signal", null, "SIG@TIME", "Send signal SIG this long before the time limit (default SIGUSR1@60s)."),
        new("rlimit", null, "RULE", "Resource limit rule: -NAME drops, NAME propagates, NAME=VALUE sets (default: propagate most soft limits).", Repeatable: true),
        new("taskmap", null, "SCHEME[:VALUE]", "Map tasks to nodes: block (default), cyclic[:N] or manual:TASKMAP (an RFC 34 map)."),
        new("dry-run", null, null, "Print the jobspec instead of submitting it."),
    ];

    /// <summary>Builds the jobspec from parsed options and the command.</summary>
    public static JsonObject Build(ParsedArgs a, IReadOnlyList<string> command)
    {
        if (command.Count == 0)
        {
            throw new UsageException("job command and arguments are missing");
        }
        var b = new JobspecBuilder(command);
        var ntasks = a.GetInt("ntasks", 0, 1);
        var nodes = a.GetInt("nodes", 0, 1);
        if (ntasks > 0)
        {
            b.Tasks(ntasks);
        }
        if (nodes > 0)
        {
            b.Nodes(nodes);
            if (ntasks > 0 && nodes > ntasks)
            {
                throw new UsageException($"node count {nodes} exceeds task count {ntasks}");
            }
        }
        if (a.Has("cores-per-task"))
        {
            b.CoresPerTask(a.GetInt("cores-per-task", 1, 1));
        }
        if (a.Has("gpus-per-task"))
        {
            b.GpusPerTask(a.GetInt("gpus-per-task", 0, 0));
        }
        if (a.Has("exclusive"))
        {
            b.Exclusive();
        }
        if (a.Get("time-limit") is { } t)
        {
            b.Duration(ParseTimeLimit(t));
        }
        if (a.Get("queue") is { } q)
        {
            b.Queue(q);
        }
        if (a.Get("job-name") is { } name)
        {
            b.Name(name);
        }
        b.Cwd(a.Get("cwd") ?? Environment.CurrentDirectory);
        b.Environment(BuildEnvironment(a));
        foreach (var attr in a.GetAll("setattr"))
        {
            b.SetAttr(attr);
        }
        // flux-core propagates the submitter's soft limits (rlimit shell option); -o rlimit.NAME=... still overrides.
        b.SetOpt("rlimit", RlimitRules.Build(a.GetAll("rlimit"), RlimitRules.Current));
        if (a.Get("taskmap") is { } taskmap)
        {
            // flux-core: the scheme before the first ':', the rest its value (the shell checks both).
            var colon = taskmap.IndexOf(':', StringComparison.Ordinal);
            b.SetOpt("taskmap", new JsonObject { ["scheme"] = colon < 0 ? taskmap : taskmap[..colon], ["value"] = colon < 0 ? string.Empty : taskmap[(colon + 1)..] });
        }
        foreach (var opt in a.GetAll("setopt"))
        {
            b.SetOpt(opt);
        }
        if (a.Get("signal") is { } sig)
        {
            var (signum, timeleft) = ParseSignal(sig);
            b.SetOpt("signal", new JsonObject { ["signum"] = signum, ["timeleft"] = timeleft });
        }
        var deps = a.GetAll("dependency");
        if (deps.Count > 0)
        {
            b.SetAttr("system.dependencies", new JsonArray([.. deps.Select(d => (JsonNode)ParseDependency(d))]));
        }
        var jobspec = b.Build();
        if (a.Has("tasks-per-core"))
        {
            ApplyTasksPerCore(jobspec, ntasks, a.GetInt("tasks-per-core", 1, 1), nodes > 0 || a.Has("cores-per-task") || a.Has("gpus-per-task"));
        }
        JobspecV1.Validate(jobspec);
        return jobspec;
    }

    /// <summary>
    /// --tasks-per-core=N: one slot (one core) per N tasks, and the task count given as a total, so
    /// that -n4 --tasks-per-core=2 runs four tasks on two cores.
    /// </summary>
    private static void ApplyTasksPerCore(JsonObject jobspec, int ntasks, int perCore, bool otherShape)
    {
        if (ntasks < 1 || otherShape)
        {
            throw new UsageException("--tasks-per-core needs -n and cannot be combined with -N, -c or -g");
        }
        var slot = jobspec["resources"]![0]!.AsObject();
        slot["count"] = (ntasks + perCore - 1) / perCore;
        jobspec["tasks"]![0]!["count"] = new JsonObject { ["total"] = ntasks };
    }

    /// <summary>flux-core's -t: a bare number is minutes, otherwise an FSD (RFC 23).</summary>
    public static double ParseTimeLimit(string t)
    {
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes))
        {
            return minutes >= 0 ? minutes * 60 : throw new UsageException($"--time-limit: '{t}' must not be negative");
        }
        return Fsd.TryParse(t, out var secs) ? secs : throw new UsageException($"--time-limit: invalid duration '{t}' (minutes, or an FSD like 30s, 10m, 2h)");
    }

    /// <summary>--signal=SIG@TIME, either part optional: SIGUSR1 and 60s by default (flux-core).</summary>
    public static (int Signum, double TimeLeft) ParseSignal(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var sig = at < 0 ? text : text[..at];
        var time = at < 0 ? string.Empty : text[(at + 1)..];
        var signum = sig.Length == 0 ? 10 : Signals.Parse(sig) ?? throw new UsageException($"--signal: invalid signal '{sig}'");
        var left = time.Length == 0 ? 60 : Fsd.TryParse(time, out var s) ? s : throw new UsageException($"--signal: invalid time '{time}' (an FSD like 60s, 5m)");
        return (signum, left);
    }

    public static SubmitFlags Flags(ParsedArgs a)
    {
        var flags = SubmitFlags.None;
        foreach (var f in (a.Get("flags") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            flags |= f switch
            {
                "debug" => SubmitFlags.Debug,
                "waitable" => SubmitFlags.Waitable,
                "novalidate" => SubmitFlags.NoValidate,
                _ => throw new UsageException($"--flags: unknown flag '{f}' (waitable, debug, novalidate)"),
            };
        }
        return flags;
    }

    public static int Urgency(ParsedArgs a) => a.Get("urgency") is { } u ? ParseUrgency(u) : 16;

    public static int ParseUrgency(string u) => u.ToLowerInvariant() switch
    {
        "hold" => 0,
        "expedite" => 31,
        "default" => 16,
        _ => int.TryParse(u, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 31
            ? n
            : throw new UsageException($"invalid urgency '{u}': expected 0-31, hold, expedite or default"),
    };

    /// <summary>RFC 26 on the command line: scheme:value[?key=val&amp;...], or <c>singleton</c>, the one scheme without a value.</summary>
    public static JsonObject ParseDependency(string uri)
    {
        if (uri == "singleton")
        {
            return new JsonObject { ["scheme"] = uri, ["value"] = string.Empty };
        }
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == uri.Length - 1)
        {
            throw new UsageException($"--dependency '{uri}': expected scheme:value (e.g. afterok:ƒ2abc)");
        }
        var rest = uri[(colon + 1)..];
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        var dep = new JsonObject { ["scheme"] = uri[..colon], ["value"] = q < 0 ? rest : rest[..q] };
        if (q >= 0)
        {
            foreach (var kv in rest[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = kv.IndexOf('=', StringComparison.Ordinal);
                dep[eq < 0 ? kv : kv[..eq]] = eq < 0 ? "1" : kv[(eq + 1)..];
            }
        }
        return dep;
    }

    /// <summary>flux-core's environment rules, applied in order to a copy of this process's environment.</summary>
    public static Dictionary<string, string> BuildEnvironment(ParsedArgs a)
    {
        var source = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
        var env = new Dictionary<string, string>(source, StringComparer.Ordinal);
        var rules = new List<string>();
        foreach (var f in a.GetAll("env-file"))
        {
            rules.AddRange(ReadRules(f));
        }
        rules.AddRange(a.GetAll("env"));
        rules.AddRange(a.GetAll("env-remove").Select(p => "-" + p));
        foreach (var rule in rules)
        {
            if (rule.StartsWith('^'))
            {
                foreach (var r in ReadRules(rule[1..]))
                {
                    Apply(r, env, source);
                }
            }
            else
            {
                Apply(rule, env, source);
            }
        }
        return env;
    }

    private static List<string> ReadRules(string file)
    {
        try
        {
            return File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        }
        catch (IOException ex)
        {
            throw new UsageException($"--env-file {file}: {ex.Message}");
        }
    }

    private static void Apply(string rule, Dictionary<string, string> env, Dictionary<string, string> source)
    {
        if (rule.StartsWith('-'))
        {
            foreach (var k in env.Keys.Where(k => Flux.Formats.Glob.IsMatch(rule[1..], k)).ToList())
            {
                env.Remove(k);
            }
            return;
        }
        var eq = rule.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            // $VAR and ${VAR} expand from the current environment, as flux-core does.
            env[rule[..eq]] = ExpandVars(rule[(eq + 1)..], source);
            return;
        }
        foreach (var (k, v) in source.Where(kv => Flux.Formats.Glob.IsMatch(rule, kv.Key)))
        {
            env[k] = v;
        }
    }

    private static string ExpandVars(string value, Dictionary<string, string> source) =>
        System.Text.RegularExpressions.Regex.Replace(value, @"\$\{(\w+)\}|\$(\w+)", m =>
            source.TryGetValue(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, out var v) ? v : string.Empty);

    public static string Pretty(JsonObject jobspec) => jobspec.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
