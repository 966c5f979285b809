// One command-line option: long name, optional short letter, whether it takes a value, help text.
namespace Flux.Cli;

/// <summary>An option a command accepts, in getopt_long style.</summary>
/// <param name="Long">Long name without dashes ("count").</param>
/// <param name="Short">Short letter, or null.</param>
/// <param name="ArgName">Value placeholder ("N"); null for a flag.</param>
/// <param name="Help">One line of help.</param>
/// <param name="Repeatable">Whether the option may be given several times (values accumulate).</param>
internal sealed record OptionSpec(string Long, char? Short, string? ArgName, string Help, bool Repeatable = false)
{
    public bool TakesValue => ArgName is not null;

    public string HelpLeft
    {
        get
        {
            var s = Short is { } c ? $"-{c}, " : "    ";
            s += "--" + Long;
            if (ArgName is not null)
            {
                s += "=" + ArgName;
            }
            return s;
        }
    }
}
