// How a broker is started: flux-broker's and flux start's options.
namespace Flux.Core.Broker;

/// <summary>Start-up options of a broker.</summary>
public sealed class BrokerOptions
{
    /// <summary>Configuration directory or file (<c>-c</c>, <c>--config-path</c>); null for none.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Attributes given with <c>-S key=val</c>.</summary>
    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>The initial program and its arguments; null to run until shut down.</summary>
    public IReadOnlyList<string>? InitialProgram { get; set; }

    /// <summary>A name under which <c>loop://NAME</c> reaches this broker in-process (tests).</summary>
    public string? LoopName { get; set; }

    /// <summary>Whether to listen on the local socket (off for purely in-process tests).</summary>
    public bool Listen { get; set; } = true;

    /// <summary>Modules to load at start-up, in order (rc1); null for the default set.</summary>
    public IReadOnlyList<string>? Rc1Modules { get; set; }

    /// <summary>Extra environment for the initial program.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

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
    /// <c>--setattr[=]KEY=VAL</c>, and <c>--</c>. Returns the index of the first argument that is not
    /// one (the initial program, or an option this parser does not know, for the caller to report).
    /// Throws ArgumentException for an option without its value or a malformed attribute.
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
            if (Value(args, ref i, "-c", "--config-path") is { } dir)
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
