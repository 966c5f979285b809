// Finds, loads and instantiates the connector plugin for a URI scheme.
using System.Reflection;
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
internal static class ConnectorPlugins
{
    // Every flux command opens one connection, so its start-up pays for this lookup: where a scheme's
    // plugin was found is kept (metadata only, no types), and so is a connector from a ReadyToRun
    // assembly, whose context is not collectible anyway. A connector in a collectible context is
    // created again each time, so that its context can be collected once its channels are gone.
    private static readonly Dictionary<(string Scheme, string Path), (PluginMetadata Metadata, PluginEntry Entry)> Found = [];
    private static readonly Dictionary<string, IConnector> Resident = new(StringComparer.Ordinal);
    private static readonly Lock CacheLock = new();

    /// <summary>The connector for a scheme; FluxException ENOSYS when no plugin serves it.</summary>
    public static IConnector Create(string scheme, IReadOnlyList<string> searchPath, IConnector any)
    {
        var key = (scheme, string.Join(':', searchPath));
        (PluginMetadata Metadata, PluginEntry Entry) found;
        lock (CacheLock)
        {
            if (!Found.TryGetValue(key, out found))
            {
                found = PluginLoader.Find(scheme, PluginKind.Connector, searchPath) ?? throw FluxConnect.NoConnector(scheme, searchPath);
                PluginLoader.CheckContract(found.Metadata);
                Found[key] = found;
            }
            if (Resident.TryGetValue(found.Metadata.Path, out var resident))
            {
                return resident;
            }
        }
        var (context, type) = PluginLoader.Load(found.Metadata, found.Entry);
        var connector = Instantiate(type, any, found.Entry);
        if (!context.IsCollectible)
        {
            lock (CacheLock)
            {
                Resident.TryAdd(found.Metadata.Path, connector);
            }
        }
        return connector;
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
}
