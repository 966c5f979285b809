// What flux job-validator and flux job-frobnicator share: the listing of one plugin kind, read from assembly metadata.
using Flux.Abstractions;
using Flux.Client.Plugins;

namespace Flux.Cli.Commands;

internal static class IngestPluginListing
{
    /// <summary>
    /// FLUX_VALIDATOR_PATH, the installed plugin packages, then the installation's validators folder: the path job-ingest searches before its
    /// conf.validator_path attribute, which only a running instance knows.
    /// </summary>
    public static IReadOnlyList<string> SearchPath(PluginKind kind)
    {
        var list = new List<string>();
        if (Environment.GetEnvironmentVariable("FLUX_VALIDATOR_PATH") is { Length: > 0 } e)
        {
            list.AddRange(e.Split(':', StringSplitOptions.RemoveEmptyEntries));
        }
        return PluginLoader.SearchPath(kind, list);
    }

    /// <summary>Prints flux-core's listing: "Available plugins:", then NAME (padded to 20) and its description.</summary>
    public static int Print(PluginKind kind)
    {
        Console.WriteLine("Available plugins:");
        foreach (var (_, entry) in PluginLoader.List(kind, SearchPath(kind)).OrderBy(p => p.Entry.Name, StringComparer.Ordinal))
        {
            Console.WriteLine($"{entry.Name,-20}  {entry.Description}".TrimEnd());
        }
        return 0;
    }

    /// <summary>flux-core's worker options that have no meaning here: refused, saying why.</summary>
    public static IReadOnlyList<OptionSpec> Refused { get; } =
    [
        new("plugins", null, "LIST", "Not supported: set plugins in [ingest.validator] or [ingest.frobnicator]."),
        new("jobspec-only", null, null, "Not supported: job-ingest runs the plugins in the broker."),
    ];

    /// <summary>Refuses everything but --list-plugins with a message saying where the plugins run.</summary>
    public static void RefuseOthers(ParsedArgs args, string stage)
    {
        foreach (var o in Refused)
        {
            if (args.Has(o.Long))
            {
                throw new UsageException($"--{o.Long} is not supported: job-ingest runs {stage} plugins in the broker; configure them in [ingest.{stage}]");
            }
        }
        if (!args.Has("list-plugins"))
        {
            throw new UsageException($"job-ingest runs {stage} plugins in the broker; only --list-plugins is supported here");
        }
    }
}
