// rlimit: the tasks' soft resource limits from -o rlimit.NAME=VALUE (flux run/submit propagate the
// submitter's by default), as flux-core's rlimit.c sets them, applied to each task as it is executed.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.ShellPlugins.Builtins;

/// <summary>
/// <c>-o rlimit.NAME=VALUE</c>: the soft limit NAME (cpu, fsize, data, stack, core, rss, nproc,
/// nofile or ofile, memlock, as, locks, sigpending, msgqueue, nice, rtprio, rttime) of every task, an
/// integer in the kernel's units, -1 for unlimited. A value above the hard limit is lowered to it with
/// a warning, as flux-core does. flux-core sets the limits in the shell, which its tasks inherit;
/// here one shell process runs many jobs and .NET cannot run code between fork and exec, so a task
/// whose limits differ from the shell's own is executed through util-linux's <c>prlimit(1)</c>
/// (<c>prlimit --nofile=128: -- ARGV</c>), which sets them and executes the task's argv as given:
/// a task.exec handler of a later plugin sees that argv. Limits equal to the shell's cost nothing.
/// </summary>
[FluxPlugin("rlimit", PluginKind.ShellPlugin, Description = "sets the tasks' resource limits (-o rlimit.NAME=VALUE)")]
public sealed class Rlimit(IShell shell) : IFluxPlugin
{
    /// <summary>The names flux-core takes, in the kernel's order (RLIMIT_CPU = 0...), with the /proc/self/limits row of each.</summary>
    internal static readonly string[] Names =
        ["cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"];

    private static readonly string[] PrlimitPaths = ["/usr/bin/prlimit", "/bin/prlimit", "/usr/sbin/prlimit", "/sbin/prlimit"];

    private string[] _prefix = [];

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("shell.init", (_, args) => Init(args));
        plugin.Handle("task.exec", (_, _) => Wrap());
    }

    /// <summary>The limit a name stands for (its kernel number), or -1; <c>ofile</c> is <c>nofile</c> as in flux-core.</summary>
    public static int Resource(string name) => name == "ofile" ? 7 : Array.IndexOf(Names, name);

    /// <summary>A value as a soft limit: null for unlimited (-1 or the largest 64-bit value), false when it is not an integer limit.</summary>
    public static bool TryValue(JsonNode? value, out ulong? limit)
    {
        limit = null;
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }
        // The text, not TryGetValue: a value built in code (an int) does not convert to long or ulong.
        var text = v.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= -1)
        {
            limit = n == -1 ? null : (ulong)n;
            return true;
        }
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u))
        {
            limit = u == ulong.MaxValue ? null : u;
            return true;
        }
        return false;
    }

    /// <summary>What is wrong with an rlimit option (flux-core's "invalid shell option rlimit.NAME=VALUE"), or null.</summary>
    public static string? Check(JsonNode? option)
    {
        if (option is not JsonObject o)
        {
            return "invalid shell option rlimit: expected an object of NAME=VALUE";
        }
        foreach (var (name, value) in o)
        {
            if (Resource(name) < 0 || !TryValue(value, out _))
            {
                return $"invalid shell option rlimit.{name}={value?.ToJsonString() ?? "null"} (names: {string.Join(", ", Names)}, ofile; values: integers, -1 for unlimited)";
            }
        }
        return null;
    }

    private bool Init(PluginArgs args)
    {
        var option = shell.GetOption("rlimit");
        if (option is null)
        {
            return true;
        }
        if (Check(option) is { } error)
        {
            return args.Error(error);
        }
        var current = ReadLimits();
        var settings = new List<string>();
        foreach (var (name, value) in option.AsObject())
        {
            var resource = Resource(name);
            TryValue(value, out var soft);
            var (cur, hard) = current[resource];
            if (hard is { } h && (soft is null || soft > h))
            {
                shell.Log($"rlimit: {name} exceeds current max, lowering value to hard limit");
                soft = h;
            }
            if (soft != cur)
            {
                settings.Add($"--{Names[resource]}={(soft is { } s ? s.ToString(CultureInfo.InvariantCulture) : "unlimited")}:");
            }
        }
        if (settings.Count == 0)
        {
            return true;
        }
        var prlimit = PrlimitPaths.FirstOrDefault(File.Exists);
        if (prlimit is null)
        {
            return args.Error($"rlimit: setting {string.Join(' ', settings)} needs prlimit(1) from util-linux, not found in {string.Join(", ", PrlimitPaths)}");
        }
        _prefix = [prlimit, .. settings, "--"];
        shell.Debug($"rlimit: tasks run with {string.Join(' ', settings)}");
        return true;
    }

    private bool Wrap()
    {
        if (_prefix.Length > 0 && shell.CurrentTask is { } task)
        {
            task.Argv = [.. _prefix, .. task.Argv];
        }
        return true;
    }

    /// <summary>This process's limits by kernel number, (soft, hard), null meaning unlimited: read from /proc/self/limits.</summary>
    internal static (ulong? Soft, ulong? Hard)[] ReadLimits()
    {
        var limits = new (ulong?, ulong?)[Names.Length];
        var rows = File.ReadAllLines("/proc/self/limits");
        // The header, then one row per limit in kernel order; the name column is 26 characters wide.
        for (var i = 0; i < Names.Length && i + 1 < rows.Length; i++)
        {
            var fields = rows[i + 1].Length > 26 ? rows[i + 1][26..].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
            limits[i] = fields.Length >= 2 ? (Parse(fields[0]), Parse(fields[1])) : (null, null);
        }
        return limits;
    }

    private static ulong? Parse(string field) =>
        ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
