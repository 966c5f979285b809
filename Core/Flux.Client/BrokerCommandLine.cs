// flux-broker's command line: read by flux-broker, built by flux start, one parser for both.
namespace Flux.Client;

/// <summary>
/// The options of <c>flux-broker</c>: the configuration path, attributes, the initial program, and
/// the name its messages carry. <c>flux start</c> builds one from its own options and runs
/// <c>flux-broker</c> with <see cref="ToArgs"/>; the broker reads it back with <see cref="ParseArgs"/>.
/// </summary>
public class BrokerCommandLine
{
    /// <summary>The broker executable's name, and the default <see cref="ProgramName"/>.</summary>
    public const string BrokerProgram = "flux-broker";

    /// <summary>Configuration directory or file (<c>-c</c>, <c>--config-path</c>); null for none.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Attributes given with <c>-S key=val</c>.</summary>
    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>The initial program and its arguments; null to run until shut down.</summary>
    public IReadOnlyList<string>? InitialProgram { get; set; }

    /// <summary>
    /// The name start-up errors are prefixed with (<c>--program-name</c>): <c>flux start</c> passes
    /// <c>flux-start</c> so that its errors read as its own.
    /// </summary>
    public string ProgramName { get; set; } = BrokerProgram;

    /// <summary>Sets an attribute from <c>KEY=VALUE</c> (what <c>-S</c> takes); ArgumentException when there is no key.</summary>
    public void SetAttribute(string keyValue)
    {
        ArgumentNullException.ThrowIfNull(keyValue);
        var eq = keyValue.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new ArgumentException($"-S '{keyValue}': expected KEY=VALUE");
        }
        Attributes[keyValue[..eq]] = keyValue[(eq + 1)..];
    }

    /// <summary>
    /// Reads flux-broker's options from the front of <paramref name="args"/>: <c>-c DIR</c>,
    /// <c>-cDIR</c>, <c>--config-path[=]DIR</c>, <c>-S KEY=VAL</c>, <c>-SKEY=VAL</c>,
    /// <c>--setattr[=]KEY=VAL</c>, <c>--program-name=NAME</c>, and <c>--</c>. Returns the index of
    /// the first argument that is not one (the initial program, or an option this parser does not
    /// know, for the caller to report). Throws ArgumentException for an option without its value or
    /// a malformed attribute.
    /// </summary>
    public int ParseArgs(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var i = 0;
        for (; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                return i + 1;
            }
            if (a.StartsWith("--program-name=", StringComparison.Ordinal))
            {
                ProgramName = a["--program-name=".Length..];
            }
            else if (Value(args, ref i, "-c", "--config-path") is { } dir)
            {
                ConfigPath = dir;
            }
            else if (Value(args, ref i, "-S", "--setattr") is { } kv)
            {
                SetAttribute(kv);
            }
            else
            {
                break;
            }
        }
        return i;
    }

    /// <summary>The arguments that <see cref="ParseArgs"/> reads back into these options, then <c>--</c> and the initial program.</summary>
    public IReadOnlyList<string> ToArgs()
    {
        var args = new List<string>();
        if (ProgramName != BrokerProgram)
        {
            args.Add("--program-name=" + ProgramName);
        }
        if (ConfigPath is not null)
        {
            args.Add("--config-path=" + ConfigPath);
        }
        args.AddRange(Attributes.Select(kv => $"--setattr={kv.Key}={kv.Value}"));
        if (InitialProgram is { Count: > 0 } program)
        {
            args.Add("--");
            args.AddRange(program);
        }
        return args;
    }

    // The value of a short or long option at args[i] (moving i past a separate value), or null when
    // args[i] is not that option.
    private static string? Value(IReadOnlyList<string> args, ref int i, string shortOpt, string longOpt)
    {
        var a = args[i];
        if (a == shortOpt || a == longOpt)
        {
            return ++i < args.Count ? args[i] : throw new ArgumentException($"option '{a}' requires an argument");
        }
        if (a.StartsWith(longOpt + "=", StringComparison.Ordinal))
        {
            return a[(longOpt.Length + 1)..];
        }
        return a.StartsWith(shortOpt, StringComparison.Ordinal) && a.Length > 2 ? a[2..] : null;
    }
}
