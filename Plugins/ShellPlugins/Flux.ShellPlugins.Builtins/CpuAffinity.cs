// cpu-affinity: binds the tasks to the job's cores on this node (on), one share each (per-task), a
// list (map:LIST), or not at all (off), as flux-core's affinity.c does.
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.ShellPlugins.Builtins;

/// <summary>
/// <c>-o cpu-affinity=on|off|per-task|map:LIST</c> (default on), optionally prefixed <c>verbose,</c>
/// (log each task's CPUs) or <c>dry-run,</c> (log them, bind nothing). map:LIST gives each local
/// task its CPU list, separated by <c>;</c> (<c>map:0-1;2-3</c>); a task past the list's end uses
/// the list again from its start. The CPUs are the cores R gives this node, kept to those the shell
/// may use itself: when R names cores this machine does not let the shell run on (a test instance
/// with made-up resources) the tasks are not bound.
/// </summary>
[FluxPlugin("cpu-affinity", PluginKind.ShellPlugin, Description = "binds tasks to the job's cores (-o cpu-affinity)")]
public sealed class CpuAffinity(IShell shell) : IFluxPlugin
{
    private string _mode = "on";
    private bool _verbose;
    private bool _dryRun;
    private IReadOnlyList<int> _cores = [];

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("shell.init", (_, args) => Init(args));
        plugin.Handle("task.exec", (_, args) => Bind(args));
    }

    /// <summary>Checks the option's value; a bad one fails shell.init (and the job).</summary>
    public static string? Check(string value)
    {
        var mode = Strip(value, out _, out _);
        return mode is "on" or "off" or "per-task" || (mode.StartsWith("map:", StringComparison.Ordinal) && ParseMap(mode[4..]) is not null)
            ? null
            : $"cpu-affinity: invalid option '{value}' (expected on, off, per-task or map:LIST)";
    }

    private bool Init(PluginArgs args)
    {
        var value = ShellOption.AsString(shell.GetOption("cpu-affinity")) ?? "on";
        if (Check(value) is { } error)
        {
            return args.Error(error);
        }
        _mode = Strip(value, out _verbose, out _dryRun);
        var info = shell.RankInfo();
        var cores = IdSet.Parse(info["resources"]?["cores"]?.GetValue<string>() ?? string.Empty);
        var usable = UsableCpus.Value;
        _cores = [.. cores.Select(c => (int)c).Where(usable.Contains)];
        if (_cores.Count < cores.Count)
        {
            shell.Debug($"cpu-affinity: cores {cores} are not all usable here: tasks left unbound");
            _cores = [];
        }
        return true;
    }

    private bool Bind(PluginArgs args)
    {
        if (_mode == "off" || shell.CurrentTask is not { } task || (_cores.Count == 0 && !_mode.StartsWith("map:", StringComparison.Ordinal)))
        {
            return true;
        }
        IReadOnlyList<int> cpus = _mode switch
        {
            "on" => _cores,
            "per-task" => Share(_cores, task.LocalId, Math.Max(shell.NTasks, 1)),
            _ => Map(_mode[4..], task.LocalId),
        };
        if (_verbose || _dryRun)
        {
            shell.Log($"cpu-affinity: task {task.Rank}: cpus {string.Join(',', cpus)}{(_dryRun ? " (dry run)" : string.Empty)}");
        }
        // Binding a task to every CPU the shell may use would change nothing and cost two migrations of the spawning thread.
        if (!_dryRun && cpus.Count > 0 && !UsableCpus.Value.SetEquals(cpus))
        {
            task.Cpus = cpus;
        }
        return true;
    }

    /// <summary>Task <paramref name="index"/>'s share of the cores when they are split among <paramref name="count"/> tasks (the first tasks take the remainder).</summary>
    internal static IReadOnlyList<int> Share(IReadOnlyList<int> cores, int index, int count)
    {
        if (count >= cores.Count)
        {
            return [cores[index % cores.Count]];
        }
        var each = cores.Count / count;
        var extra = cores.Count % count;
        var start = (index * each) + Math.Min(index, extra);
        return [.. cores.Skip(start).Take(each + (index < extra ? 1 : 0))];
    }

    private static IReadOnlyList<int> Map(string list, int index)
    {
        var sets = ParseMap(list)!;
        return sets[index % sets.Count];
    }

    private static List<IReadOnlyList<int>>? ParseMap(string list)
    {
        var sets = new List<IReadOnlyList<int>>();
        foreach (var part in list.Split(';'))
        {
            if (!IdSet.TryParse(part, out var set) || set.IsEmpty)
            {
                return null;
            }
            sets.Add([.. set.Select(c => (int)c)]);
        }
        return sets;
    }

    private static string Strip(string value, out bool verbose, out bool dryRun)
    {
        verbose = dryRun = false;
        while (true)
        {
            if (value.StartsWith("verbose,", StringComparison.Ordinal))
            {
                verbose = true;
                value = value["verbose,".Length..];
            }
            else if (value.StartsWith("dry-run,", StringComparison.Ordinal))
            {
                dryRun = true;
                value = value["dry-run,".Length..];
            }
            else
            {
                return value;
            }
        }
    }

    // Read once per process: the shell's own affinity does not change while it runs jobs.
    private static readonly Lazy<HashSet<int>> UsableCpus = new(Usable);

    /// <summary>The CPUs this process may run on (its affinity), from /proc: no native call needed to read it.</summary>
    private static HashSet<int> Usable()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal) && IdSet.TryParse(line["Cpus_allowed_list:".Length..].Trim(), out var set))
            {
                return [.. set.Select(c => (int)c)];
            }
        }
        return [.. Enumerable.Range(0, Environment.ProcessorCount)];
    }
}
