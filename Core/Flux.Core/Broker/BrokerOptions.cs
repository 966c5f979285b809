// How a broker is started: flux-broker's command line plus what only an in-process host sets.
using Flux.Client;

namespace Flux.Core.Broker;

/// <summary>
/// Start-up options of a broker: those of its command line (<see cref="BrokerCommandLine"/>) and
/// those a host running a broker in its own process chooses (tests, benchmarks).
/// </summary>
public sealed class BrokerOptions : BrokerCommandLine
{
    /// <summary>A name under which <c>loop://NAME</c> reaches this broker in-process (tests).</summary>
    public string? LoopName { get; set; }

    /// <summary>Whether to listen on the local socket (off for purely in-process tests).</summary>
    public bool Listen { get; set; } = true;

    /// <summary>Modules to load at start-up, in order (rc1); null for the default set.</summary>
    public IReadOnlyList<string>? Rc1Modules { get; set; }

    /// <summary>The clock modules get by constructor injection (<see cref="System.TimeProvider"/>): the system's unless a test gives its own.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Plugin types of the host's own process that modules hosting plugins (job-manager, job-ingest)
    /// load by name before searching their path (Flux.Testing registers the plugin under test); null for none.
    /// </summary>
    public Flux.Client.Plugins.InProcessPlugins? InProcessPlugins { get; set; }

    /// <summary>Extra environment for the initial program.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);
}
