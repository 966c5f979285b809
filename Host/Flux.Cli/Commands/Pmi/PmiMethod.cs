// The options every flux pmi subcommand takes, and choosing the PMI method they select.
using Flux.Abstractions;

namespace Flux.Cli.Commands;

/// <summary>
/// --method and --verbose of flux-pmi(1). Without --method, the methods are tried in flux-core's
/// order until one initializes: simple (PMI_FD in the environment), then single. The libpmi and
/// libpmi2 methods of flux-core, which dlopen a PMI library, are not offered.
/// </summary>
internal static class PmiMethod
{
    public static readonly OptionSpec[] Options =
    [
        new("method", null, "URI", "PMI method: simple (the wire protocol on PMI_FD) or single (a job of one)."),
        new("verbose", 'v', null, "Trace PMI operations on stderr."),
    ];

    public static async Task<IPmiClient> OpenAsync(ParsedArgs args, CancellationToken ct)
    {
        Action<string>? trace = args.Has("verbose") ? line => Console.Error.WriteLine("flux-pmi: " + line) : null;
        switch (args.Get("method"))
        {
            case null:
                return await SimplePmiClient.OpenAsync(Environment.GetEnvironmentVariable, trace, ct).ConfigureAwait(false) as IPmiClient
                    ?? Single(trace);
            case "simple":
                return await SimplePmiClient.OpenAsync(Environment.GetEnvironmentVariable, trace, ct).ConfigureAwait(false)
                    ?? throw new FluxException(Errno.ENOENT, "simple: PMI_FD, PMI_RANK or PMI_SIZE is not set");
            case "single":
                return Single(trace);
            case var other:
                throw new UsageException($"unknown PMI method '{other}' (simple or single)");
        }
    }

    /// <summary>What flux-core's barrier and exchange print: the job's label (FLUX_JOB_CC, else FLUX_JOB_ID, else 0).</summary>
    public static string Label() =>
        Environment.GetEnvironmentVariable("FLUX_JOB_CC") ?? Environment.GetEnvironmentVariable("FLUX_JOB_ID") ?? "0";

    private static SinglePmiClient Single(Action<string>? trace)
    {
        var single = new SinglePmiClient();
        trace?.Invoke($"single: initialize: rank=0 size=1 name={single.Name}: success");
        return single;
    }
}
