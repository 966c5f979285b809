// Opens a client handle for a URI: the connector is chosen by scheme, as flux_open() does.
using Flux.Abstractions;
using Flux.Core.Handle;
using Flux.Core.Plugins;

namespace Flux.Core.Connectors;

/// <summary>
/// <c>flux_open</c> for .NET: the URI comes from the argument, then FLUX_URI, then the system
/// instance's <c>local:///run/flux/local</c>. <c>local</c> and <c>loop</c> are built in; any other
/// scheme is a connector plugin named after it on FLUX_CONNECTOR_PATH or the built-in folder.
/// </summary>
public static class FluxConnect
{
    /// <summary>The system instance's URI.</summary>
    public const string SystemUri = "local:///run/flux/local";

    /// <summary>The URI a client would use: the argument, FLUX_URI, or the system instance's.</summary>
    public static string ResolveUri(string? uri) =>
        uri ?? Environment.GetEnvironmentVariable("FLUX_URI") ?? SystemUri;

    /// <summary>Opens a client handle.</summary>
    public static async Task<FluxHandle> OpenAsync(string? uri = null, CancellationToken ct = default)
    {
        var text = ResolveUri(uri);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed))
        {
            throw new FluxException(Errno.EINVAL, $"'{text}' is not a Flux URI (expected SCHEME://..., e.g. local:///path/to/socket)");
        }
        var connector = Find(parsed.Scheme);
        var channel = await connector.ConnectAsync(parsed, ct).ConfigureAwait(false);
        return await FluxHandle.OpenClientAsync(channel, ct).ConfigureAwait(false);
    }

    private static IConnector Find(string scheme)
    {
        switch (scheme)
        {
            case "local":
                return new LocalConnector();
            case "loop":
                return new LoopConnector();
        }
        var path = new List<string>();
        if (Environment.GetEnvironmentVariable("FLUX_CONNECTOR_PATH") is { Length: > 0 } env)
        {
            path.AddRange(env.Split(':', StringSplitOptions.RemoveEmptyEntries));
        }
        path.Add(Path.Combine(AppContext.BaseDirectory, "connectors"));
        var found = PluginLoader.Find(scheme, PluginKind.Connector, path)
            ?? throw new FluxException(Errno.ENOSYS, $"no connector for URI scheme '{scheme}' (built in: local, loop; plugins searched in {string.Join(":", path)})");
        PluginLoader.CheckContract(found.Metadata);
        var (_, type) = PluginLoader.Load(found.Metadata, found.Entry);
        return Activator.CreateInstance(type) as IConnector
            ?? throw new FluxException(Errno.EINVAL, $"{found.Entry.TypeName} is marked as a connector but does not implement IConnector");
    }
}
