// The host's record of one loaded module: its load context, loop, handle and connection.
using Flux.Abstractions;
using Flux.Core.Broker;
using Flux.Client.Handle;
using Flux.Client.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Flux.Core.Modules;

/// <summary>A loaded module. Holds the only references the host keeps into the plugin's code.</summary>
public sealed class LoadedModule
{
    internal LoadedModule(string name, string path, int order, PluginLoadContext? context, ActorContext actor, RouterChannel connection, FluxHandle handle)
    {
        Name = name;
        Path = path;
        LoadOrder = order;
        Context = context;
        Actor = actor;
        Connection = connection;
        Handle = handle;
    }

    /// <summary>The module (and service) name.</summary>
    public string Name { get; }

    /// <summary>The assembly it was loaded from.</summary>
    public string Path { get; }

    /// <summary>Position in load order (1 = first).</summary>
    public int LoadOrder { get; }

    /// <summary>Arguments it was loaded with.</summary>
    public IReadOnlyList<string> Args { get; internal set; } = [];

    /// <summary>The module's state: I (initializing), R (running), F (finalizing).</summary>
    public char State { get; internal set; } = 'I';

    internal PluginLoadContext? Context { get; }

    internal ActorContext Actor { get; }

    internal RouterChannel Connection { get; }

    internal FluxHandle Handle { get; }

    internal IFluxModule? Instance { get; set; }

    internal ServiceProvider? Provider { get; set; }

    /// <summary>The loader the module's <c>IPluginLoader</c> is: the plugins it hosts (job-manager's jobtap plugins).</summary>
    internal HostPluginLoader? Plugins { get; set; }

    /// <summary>The removal under way, once one has started.</summary>
    internal Task? Stopping { get; set; }
}
