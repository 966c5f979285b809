// Base of every `flux` subcommand: its name, options, help, and how it runs.
using System.Text;
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Cli;

/// <summary>
/// A subcommand such as <c>module load</c>. The dispatcher parses the options declared here, prints
/// the help built from them for <c>-h/--help</c>, and reports usage errors as
/// <c>flux-module: ... / Try 'flux module load --help'</c>.
/// </summary>
internal abstract class Command
{
    private static readonly OptionSpec HelpOption = new("help", 'h', null, "Display this message.");

    /// <summary>Words after <c>flux</c> that select the command ("module load").</summary>
    public abstract string Name { get; }

    /// <summary>One line for listings.</summary>
    public abstract string Summary { get; }

    /// <summary>The usage line after the command name.</summary>
    public virtual string Usage => "[OPTIONS]";

    /// <summary>Longer help text printed after the options (examples, notes).</summary>
    public virtual string? Details => null;

    /// <summary>The options the command accepts.</summary>
    public virtual IReadOnlyList<OptionSpec> Options => [];

    /// <summary>Whether the first positional argument ends option parsing (COMMAND [ARGS...]).</summary>
    public virtual bool StopAtPositional => false;

    /// <summary>Whether the command is left out of <c>flux --help</c>.</summary>
    public virtual bool Hidden => false;

    /// <summary>Program name used in messages: flux-module, flux-ping.</summary>
    public string Prog => "flux-" + Name.Split(' ')[0];

    public IReadOnlyList<OptionSpec> AllOptions => [.. Options, HelpOption];

    /// <summary>Runs the command with parsed arguments; returns the exit code.</summary>
    public abstract Task<int> RunAsync(ParsedArgs args, CancellationToken ct);

    public string HelpText()
    {
        var sb = new StringBuilder();
        sb.Append("Usage: flux ").Append(Name).Append(' ').AppendLine(Usage);
        sb.AppendLine(Summary);
        var opts = AllOptions;
        if (opts.Count > 0)
        {
            sb.AppendLine();
            var width = Math.Min(32, opts.Max(o => o.HelpLeft.Length) + 2);
            foreach (var o in opts)
            {
                var left = "  " + o.HelpLeft;
                sb.Append(left.PadRight(width + 2));
                if (left.Length > width + 1)
                {
                    sb.AppendLine().Append(new string(' ', width + 2));
                }
                sb.AppendLine(o.Help);
            }
        }
        if (Details is { } d)
        {
            sb.AppendLine().AppendLine(d.TrimEnd());
        }
        return sb.ToString();
    }

    /// <summary>Opens a handle on the enclosing instance (FLUX_URI).</summary>
    protected static Task<FluxHandle> OpenAsync(CancellationToken ct)
    {
        // One connection, one engine thread that runs the read loop itself: a response wakes one
        // thread, not two (flux ping at rest: InlineSocketCompletions).
        InlineSocketCompletions.Enable(engineThreads: 1);
        return FluxConnect.OpenAsync(null, ct);
    }

    /// <summary>Requires exactly <paramref name="n"/> positional arguments.</summary>
    protected static void Expect(ParsedArgs args, int min, int max = -1)
    {
        max = max < 0 ? min : max;
        if (args.Positionals.Count < min)
        {
            throw new UsageException("missing argument");
        }
        if (args.Positionals.Count > max)
        {
            throw new UsageException($"unexpected argument '{args.Positionals[max]}'");
        }
    }

    /// <summary>Raises the error for a bad value of an argument.</summary>
    protected static FluxException Invalid(string text) => new(Errno.EINVAL, text);
}
