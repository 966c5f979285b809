// Opens a client handle for a URI: the connector is chosen by scheme, as flux_open() does.
using Flux.Abstractions;
using Flux.Client.Handle;
using Flux.Client.Plugins;

namespace Flux.Client.Connectors;

/// <summary>
/// <c>flux_open</c> for .NET: the URI comes from the argument, then FLUX_URI, then the system
/// instance's <c>local:///run/flux/local</c>. The connector for the URI's scheme is one registered
/// in this process (<c>loop</c>, when a broker runs in it) or a connector plugin of that name, found
/// on FLUX_CONNECTOR_PATH and then in the built-in <c>connectors/</c> folder beside the executable
/// (where <c>local</c> ships).
/// </summary>
public static class FluxConnect
{
    /// <summary>The system instance's URI.</summary>
    public const string SystemUri = "local:///run/flux/local";

    private static readonly Dictionary<string, IConnector> Registered = new(StringComparer.Ordinal);
    private static readonly Lock RegisteredLock = new();

    /// <summary>The connector for any URI: it picks the connector of the URI's scheme, as <see cref="OpenAsync"/> does.</summary>
    public static IConnector Connector { get; } = new SchemeConnector();

    /// <summary>The URI a client would use: the argument, FLUX_URI, or the system instance's.</summary>
    public static string ResolveUri(string? uri) =>
        uri ?? Environment.GetEnvironmentVariable("FLUX_URI") ?? SystemUri;

    /// <summary>The connector plugin search path: FLUX_CONNECTOR_PATH, the installed connector packages, then the built-in folder.</summary>
    public static IReadOnlyList<string> SearchPath
    {
        get
        {
            var path = new List<string>();
            if (Environment.GetEnvironmentVariable("FLUX_CONNECTOR_PATH") is { Length: > 0 } env)
            {
                path.AddRange(env.Split(':', StringSplitOptions.RemoveEmptyEntries));
            }
            return PluginLoader.SearchPath(PluginKind.Connector, path);
        }
    }

    /// <summary>The installation's built-in connector folder.</summary>
    public static string BuiltinConnectorDir => BuiltinPlugins.Directory(PluginKind.Connector);

    /// <summary>
    /// Makes a connector that lives in this process serve a scheme before any plugin of that name
    /// (the broker registers <c>loop</c>). Registering a scheme again keeps the first connector.
    /// </summary>
    public static void Register(string scheme, IConnector connector)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(connector);
        lock (RegisteredLock)
        {
            Registered.TryAdd(scheme, connector);
        }
    }

    /// <summary>Opens a client handle.</summary>
    public static async Task<FluxHandle> OpenAsync(string? uri = null, CancellationToken ct = default)
    {
        var channel = await ConnectAsync(Parse(ResolveUri(uri)), ct).ConfigureAwait(false);
        return await FluxHandle.OpenClientAsync(channel, ct).ConfigureAwait(false);
    }

    private static Uri Parse(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            ? parsed
            : throw new FluxException(Errno.EINVAL, $"'{text}' is not a Flux URI (expected SCHEME://..., e.g. local:///path/to/socket)");

    private static ValueTask<IMessageChannel> ConnectAsync(Uri uri, CancellationToken ct)
    {
        IConnector? connector;
        lock (RegisteredLock)
        {
            Registered.TryGetValue(uri.Scheme, out connector);
        }
        return (connector ?? ConnectorPlugins.Create(uri.Scheme, SearchPath, Connector)).ConnectAsync(uri, ct);
    }

    private static string RegisteredSchemes()
    {
        lock (RegisteredLock)
        {
            return Registered.Count == 0 ? "none" : string.Join(", ", Registered.Keys.Order(StringComparer.Ordinal));
        }
    }

    /// <summary>The error for a scheme no connector serves.</summary>
    internal static FluxException NoConnector(string scheme, IReadOnlyList<string> path) =>
        new(Errno.ENOSYS, $"no connector for URI scheme '{scheme}' (registered in this process: {RegisteredSchemes()}; plugins searched in {string.Join(":", path)})");

    private sealed class SchemeConnector : IConnector
    {
        public ValueTask<IMessageChannel> ConnectAsync(Uri uri, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(uri);
            return FluxConnect.ConnectAsync(uri, cancellationToken);
        }
    }
}
