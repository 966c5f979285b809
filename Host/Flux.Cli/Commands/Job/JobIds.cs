// Job ID arguments (RFC 19) and the eventlog output options shared by the flux job subcommands.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;
using Flux.Core.Connectors;

namespace Flux.Cli.Commands;

/// <summary>Job ID arguments and eventlog output options shared by the flux job subcommands here.</summary>
internal static class JobIds
{
    /// <summary>A job ID in any FLUID encoding (RFC 19).</summary>
    public static ulong Parse(string text) =>
        Fluid.TryParse(text, out var id) ? id : throw new FluxException(Errno.EINVAL, $"error parsing jobid: \"{text}\"");

    public static EventlogFormatter Formatter(ParsedArgs args)
    {
        var human = args.Has("human");
        var color = args.Get("color") switch
        {
            null => human && !Console.IsOutputRedirected,
            "auto" => !Console.IsOutputRedirected,
            "always" => true,
            "never" => false,
            var w => throw new UsageException($"--color: invalid value '{w}' (always, never or auto)"),
        };
        try
        {
            return new EventlogFormatter(args.Get("format") ?? "text", args.Get("time-format") ?? (human ? "human" : "raw"), color);
        }
        catch (FluxException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
