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
}
