// The output options flux job eventlog and flux job wait-event share, and the formatter they choose.
namespace Flux.Cli.Jobs;

/// <summary>--format, --time-format, --human and --color, given once, and the <see cref="EventlogFormatter"/> they select.</summary>
internal static class EventlogOptions
{
    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        new("format", 'f', "FORMAT", "Output format: text (default) or json."),
        new("time-format", 'T', "FORMAT", "Time format: raw (default), iso, offset or human."),
        new("human", 'H', null, "Human-readable output: --time-format=human, colored on a terminal."),
        new("color", null, "WHEN", "Color the output: always, never or auto (default)."),
    ];

    /// <summary>The formatter for the parsed options; a bad value is a usage error.</summary>
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
        catch (Flux.Abstractions.FluxException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
