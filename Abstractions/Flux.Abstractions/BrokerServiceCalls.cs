// The requests of the broker's own event and service registration services, written once for every
// IFlux implementation (a client handle, and the handles that wrap one: a job shell's guest handle,
// the shell host's reconnecting handle).
using System.Text.Json.Nodes;

namespace Flux.Abstractions;

/// <summary>
/// <c>event.subscribe</c>, <c>event.unsubscribe</c>, <c>service.add</c> and <c>service.remove</c> as
/// the broker serves them, sent through <see cref="IFlux.RpcAsync"/> of the given handle. An
/// <see cref="IFlux"/> implementation answers <see cref="IFlux.SubscribeAsync"/> and its siblings with
/// these, so that a handle which changes how requests travel (credentials, reconnection) only has to
/// change its <c>RpcAsync</c>. Internal: host plumbing (InternalsVisibleTo the host's handles), not contract.
/// </summary>
internal static class BrokerServiceCalls
{
    /// <summary>Subscribes <paramref name="flux"/> to events whose topic starts with <paramref name="topicPrefix"/>.</summary>
    public static Task SubscribeAsync(IFlux flux, string topicPrefix, CancellationToken cancellationToken = default) =>
        Call(flux, "event.subscribe", "topic", topicPrefix, cancellationToken);

    /// <summary>Removes one subscription made with <see cref="SubscribeAsync"/>.</summary>
    public static Task UnsubscribeAsync(IFlux flux, string topicPrefix, CancellationToken cancellationToken = default) =>
        Call(flux, "event.unsubscribe", "topic", topicPrefix, cancellationToken);

    /// <summary>Registers <paramref name="service"/> so that requests to <c>NAME.*</c> reach <paramref name="flux"/>.</summary>
    public static Task AddServiceAsync(IFlux flux, string service, CancellationToken cancellationToken = default) =>
        Call(flux, "service.add", "service", service, cancellationToken);

    /// <summary>Unregisters a service added with <see cref="AddServiceAsync"/>.</summary>
    public static Task RemoveServiceAsync(IFlux flux, string service, CancellationToken cancellationToken = default) =>
        Call(flux, "service.remove", "service", service, cancellationToken);

    private static Task<JsonObject?> Call(IFlux flux, string topic, string key, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flux);
        return flux.RpcAsync(topic, new JsonObject { [key] = value }, NodeId.Any, cancellationToken);
    }
}
