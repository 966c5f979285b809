// FluxTestInstance's connector plugins: a handle opened through a connector type, over the instance's loop:// URI.
using System.Reflection;
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Testing;

public sealed partial class FluxTestInstance
{
    /// <summary>
    /// Opens a handle through connector <typeparamref name="TConnector"/> (marked
    /// <c>[FluxPlugin(SCHEME, PluginKind.Connector)]</c>), as a client does once the connector is on
    /// <c>FLUX_CONNECTOR_PATH</c>: the connector is constructed as the client constructs one (with the
    /// client's connector for any URI if its constructor takes an <see cref="IConnector"/>, else with
    /// none) and asked for <paramref name="uri"/>, which must be of its scheme and usually wraps this
    /// instance's <see cref="Uri"/> (<c>$"logging:?uri={instance.Uri}"</c>). The instance closes the
    /// handle at dispose. Errors: <see cref="ArgumentException"/> for a type that is not a connector
    /// or a URI of another scheme; what the connector throws, as it throws it.
    /// </summary>
    public async Task<IFlux> ConnectAsync<TConnector>(string uri, CancellationToken cancellationToken = default)
        where TConnector : class, IConnector
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var type = typeof(TConnector);
        var attr = type.GetCustomAttribute<FluxPluginAttribute>(inherit: false);
        if (attr is null || attr.Kind != PluginKind.Connector)
        {
            throw new ArgumentException($"{type.FullName} is not marked [FluxPlugin(SCHEME, PluginKind.Connector)]", nameof(TConnector));
        }
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme != attr.Name)
        {
            throw new ArgumentException($"'{uri}' is not a URI of connector {type.Name}'s scheme '{attr.Name}' (expected {attr.Name}:...)", nameof(uri));
        }
        var connector = type.GetConstructor([typeof(IConnector)]) is { } wrapping
            ? (IConnector)wrapping.Invoke(BindingFlags.DoNotWrapExceptions, null, [FluxConnect.Connector], null)
            : type.GetConstructor(Type.EmptyTypes) is { } plain
                ? (IConnector)plain.Invoke(BindingFlags.DoNotWrapExceptions, null, [], null)
                : throw new ArgumentException($"{type.FullName} has no public constructor taking nothing or an IConnector", nameof(TConnector));
        var channel = await connector.ConnectAsync(parsed, cancellationToken).ConfigureAwait(false);
        var h = await FluxHandle.OpenClientAsync(channel, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _handles.Add(h);
        }
        return h;
    }
}
