// Options several unrelated commands take with the same meaning and help text.
namespace Flux.Cli;

/// <summary>Option specs given once and shared by the commands that list them.</summary>
internal static class CommonOptions
{
    /// <summary>-q: the command prints nothing on success.</summary>
    public static readonly OptionSpec Quiet = new("quiet", 'q', null, "Print nothing.");
}
