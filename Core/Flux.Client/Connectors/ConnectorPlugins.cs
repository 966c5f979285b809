// Finds, loads and instantiates the connector plugin for a URI scheme.
using System.Reflection;
using System.Runtime.CompilerServices;
using Flux.Abstractions;
using Flux.Client.Handle;
using Flux.Client.Plugins;

namespace Flux.Client.Connectors;

/// <summary>
/// Connector plugins: the first assembly on the search path declaring
/// <c>[FluxPlugin(SCHEME, PluginKind.Connector)]</c>. Its entry type is built with a constructor
/// taking an <see cref="IConnector"/> (the client's connector for any URI, so a connector can wrap
/// another) if it has one, else a parameterless one.
/// </summary>
/// <remarks>
/// Every flux command pays for this lookup, so it does not read metadata the way the broker's
/// module loader does (<see cref="PluginMetadata.Read"/>, System.Reflection.Metadata: about 8 ms a
/// command): each candidate's PE headers say whether it is ReadyToRun (<see cref="PeImage"/>), then it
/// is loaded into its plugin context (collectible unless ReadyToRun) and its entries read by
/// reflection. A candidate that is not the scheme's connector is unloaded again, unless it is
/// ReadyToRun: that one stays loaded for the life of the process, which only a directory holding
/// several connectors costs. A connector from a ReadyToRun assembly is kept for later connections
/// (its context cannot be collected anyway); one in a collectible context is created again for each,
/// so that the context is collected once its channels are gone.
/// </remarks>
internal static class ConnectorPlugins
{
    private static readonly Dictionary<string, IConnector> Resident = new(StringComparer.Ordinal);
    private static readonly Lock CacheLock = new();

    /// <summary>The connector for a scheme; FluxException ENOSYS when no plugin serves it.</summary>
    public static IConnector Create(string scheme, IReadOnlyList<string> searchPath, IConnector any)
    {
        var key = scheme + "\n" + string.Join(':', searchPath);
        lock (CacheLock)
        {
            if (Resident.TryGetValue(key, out var resident))
            {
                return resident;
            }
        }
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new PluginLoadingUnavailableException($"connector '{scheme}'");
        }
        foreach (var dir in searchPath)
        {
            foreach (var file in PluginLoader.Candidates(dir))
            {
                if (TryLoad(file, scheme) is not { } loaded)
                {
                    continue;
                }
                var connector = Instantiate(loaded.Type, any, loaded.Entry);
                if (!loaded.Context.IsCollectible)
                {
                    lock (CacheLock)
                    {
                        Resident.TryAdd(key, connector);
                    }
                }
                return connector;
            }
        }
        throw FluxConnect.NoConnector(scheme, searchPath);
    }

    // Loads a candidate and returns its connector type for the scheme, or null (and unloads it) when
    // it declares none; a contract version the client does not provide is an error.
    private static Loaded? TryLoad(string file, string scheme)
    {
        if (PeImage.IsReadyToRun(file) is not { } readyToRun)
        {
            return null;
        }
        var path = Path.GetFullPath(file);
        var context = PluginLoadContext.ForLoad("Connector:" + scheme, path, collectible: !readyToRun);
        try
        {
            var assembly = context.LoadPluginAssembly();
            var md = PluginMetadata.FromAssembly(assembly, path, readyToRun);
            var entry = md.Entries.FirstOrDefault(e => e.Kind == PluginKind.Connector && e.Name == scheme);
            if (entry is null)
            {
                context.UnloadIfCollectible();
                return null;
            }
            PluginLoader.CheckContract(md);
            // Found among the assembly's types rather than by name: parsing a type name costs more code to JIT.
            var type = Array.Find(assembly.GetTypes(), t => t.FullName == entry.TypeName)!;
            return new Loaded(context, type, entry);
        }
        catch (FluxException)
        {
            context.UnloadIfCollectible();
            throw;
        }
        catch (Exception ex) when (ex is FileLoadException or BadImageFormatException or TypeLoadException or FileNotFoundException)
        {
            context.UnloadIfCollectible();
            throw new FluxException(Errno.EINVAL, $"{Path.GetFileName(path)}: cannot load connector '{scheme}': {ex.Message}", ex);
        }
    }

    private static IConnector Instantiate(Type type, IConnector any, PluginEntry entry)
    {
        if (!typeof(IConnector).IsAssignableFrom(type))
        {
            throw new FluxException(Errno.EINVAL, $"{entry.TypeName} is marked as a connector but does not implement IConnector");
        }
        try
        {
            if (type.GetConstructor([typeof(IConnector)]) is { } wrapping)
            {
                return (IConnector)wrapping.Invoke([any]);
            }
            if (type.GetConstructor(Type.EmptyTypes) is { } plain)
            {
                return (IConnector)plain.Invoke([]);
            }
        }
        catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
        {
            throw new FluxException(ErrorMapping.ToErrnum(inner), $"connector '{entry.Name}': {inner.Message}", inner);
        }
        throw new FluxException(Errno.EINVAL, $"{entry.TypeName} has no public constructor taking nothing or an IConnector");
    }

    private sealed record Loaded(PluginLoadContext Context, Type Type, PluginEntry Entry);
}
