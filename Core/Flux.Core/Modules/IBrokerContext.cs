// What the module host needs to know about the broker it serves.
using Flux.Abstractions;

namespace Flux.Core.Modules;

/// <summary>The broker facts and settings a module host uses.</summary>
public interface IBrokerContext
{
    /// <summary>The instance owner's uid.</summary>
    uint OwnerUid { get; }

    /// <summary>Number of brokers.</summary>
    uint Size { get; }

    /// <summary>The current configuration.</summary>
    FluxConfig Config { get; }

    /// <summary>Directories searched for modules by name, in order.</summary>
    IReadOnlyList<string> ModuleSearchPath { get; }

    /// <summary>The broker's log ring: modules run in the broker and log straight into it.</summary>
    Flux.Core.Broker.LogRing Log { get; }

    /// <summary>A broker attribute's current value, or null (plugin search paths such as conf.jobtap_pluginpath).</summary>
    string? Attribute(string name);

    /// <summary>How long a module's LoadAsync, or its check or application of a new configuration, may take (<c>broker.module-timeout</c>).</summary>
    TimeSpan ModuleTimeout { get; }

    /// <summary>The clock a module gets when its constructor asks for a <see cref="System.TimeProvider"/>: the system's, or a test's.</summary>
    TimeProvider Time { get; }

    /// <summary>Plugin types of the host's process that modules load by name before searching their path (Flux.Testing's), or null.</summary>
    Flux.Client.Plugins.InProcessPlugins? InProcessPlugins { get; }

    /// <summary>Immutable attributes given to every module's handle up front.</summary>
    IEnumerable<KeyValuePair<string, string?>> CacheableAttributes { get; }
}
