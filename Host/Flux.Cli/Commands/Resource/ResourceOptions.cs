// The options the flux resource commands share (--queue, --include, --no-header) and how their values are read.
using Flux.Abstractions;

namespace Flux.Cli.Commands;

/// <summary>Option specs given once for every flux resource command that takes them, and their parsing.</summary>
internal static class ResourceOptions
{
    public static readonly OptionSpec Queue = new("queue", 'q', "QUEUE,...", "Include only resources of these queues.", Repeatable: true);

    public static readonly OptionSpec Include = new("include", 'i', "TARGETS", "Include only these ranks (idset) or hosts (hostlist).");

    public static readonly OptionSpec NoHeader = new("no-header", 'n', null, "Suppress header output.");

    /// <summary>The scheduler-view states (RFC 27 sched.resource-status and what flux-core derives from it).</summary>
    public static readonly string[] SchedViewStates = ["up", "down", "allocated", "free", "all"];

    /// <summary>A comma-separated list of states, each checked against <paramref name="valid"/>.</summary>
    public static List<string> States(string text, string[] valid)
    {
        var states = text.Split(',').ToList();
        foreach (var s in states.Where(s => Array.IndexOf(valid, s) < 0))
        {
            throw new FluxException(Errno.EINVAL, $"Invalid resource state {s} specified (valid states: {string.Join(",", valid)})");
        }
        return states;
    }

    /// <summary>The scheduler-view states of <c>--states</c> (up, down, allocated, free, all; default all), checked.</summary>
    public static IReadOnlyList<string> SchedStates(ParsedArgs args) => States(args.Get("states") ?? "all", SchedViewStates);

    /// <summary>The queue names of every <c>--queue</c>, comma lists split, each once.</summary>
    public static IReadOnlyList<string> Queues(ParsedArgs args) =>
        [.. args.GetAll("queue").SelectMany(q => q.Split(',', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// <c>-o help</c>, as flux-core's list commands answer it: prints the builtin format names and returns
    /// true; false (nothing printed) for any other <c>--format</c>.
    /// </summary>
    public static bool PrintFormatNames(string? option, string command, Dictionary<string, string> builtin)
    {
        if (option != "help")
        {
            return false;
        }
        Console.WriteLine($"{command}: the following formats are available:");
        foreach (var name in builtin.Keys)
        {
            Console.WriteLine("  " + name);
        }
        return true;
    }

    /// <summary>A builtin format by name, a format string, or the environment's default.</summary>
    public static string FormatString(string? option, string envDefault, Dictionary<string, string> builtin)
    {
        var name = option ?? Environment.GetEnvironmentVariable(envDefault) ?? "default";
        if (builtin.TryGetValue(name, out var fmt))
        {
            return fmt;
        }
        return name.Contains('{', StringComparison.Ordinal)
            ? name
            : throw new FluxException(Errno.EINVAL, $"--format: unknown format name '{name}' (builtin formats: {string.Join(", ", builtin.Keys)})");
    }
}
