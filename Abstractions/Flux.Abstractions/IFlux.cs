// The handle through which a plugin or client talks to a Flux instance.
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Flux.Abstractions;

/// <summary>
/// A handle on a Flux broker: RPCs (single and streaming responses), events, service registration,
/// message handlers, logging, configuration and broker attributes. A module's handle runs every
/// handler and every continuation on the module's own loop, one at a time, so module code needs no
/// locks; a client's handle may be used from any thread.
/// </summary>
public interface IFlux : IAsyncDisposable
{
    /// <summary>The rank of the broker this handle is attached to.</summary>
    uint Rank { get; }

    /// <summary>The number of brokers in the instance.</summary>
    uint Size { get; }

    /// <summary>The module name for a module's handle; null for a client.</summary>
    string? Name { get; }

    /// <summary>The instance configuration as last pushed to this handle (empty for clients until fetched).</summary>
    FluxConfig Config { get; }

    /// <summary>A logger whose records go to the broker's log ring buffer (<c>flux dmesg</c>).</summary>
    ILogger Logger { get; }

    /// <summary>Returns a broker attribute (cached for immutable ones), or null when it is not set.</summary>
    ValueTask<string?> GetAttrAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a request and returns its single response. An error response is thrown as a
    /// <see cref="FluxException"/> carrying its errnum and text.
    /// </summary>
    Task<Message> RequestAsync(Message request, CancellationToken cancellationToken = default);

    /// <summary>Sends a JSON request to a topic and returns the JSON object of its response (null when empty).</summary>
    Task<JsonObject?> RpcAsync(string topic, JsonNode? payload = null, uint nodeId = NodeId.Any, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a streaming request and yields each response until the stream ends: ENODATA ends it
    /// normally, any other error is thrown as a <see cref="FluxException"/>. Disposing the enumerator
    /// early stops listening (the service is not told; use the service's cancel protocol for that).
    /// </summary>
    IAsyncEnumerable<Message> StreamAsync(Message request, CancellationToken cancellationToken = default);

    /// <summary>Sends a message as it is (a NORESPONSE request, a response, a raw event).</summary>
    void Send(Message message);

    /// <summary>Answers a request with a JSON payload (nothing is sent for a NORESPONSE request).</summary>
    void Respond(Message request, JsonNode? payload = null);

    /// <summary>Answers a request with raw payload bytes, sent as they are.</summary>
    void RespondRaw(Message request, ReadOnlyMemory<byte> payload);

    /// <summary>Answers a request with an RFC 6 error: errnum and an optional short text.</summary>
    void RespondError(Message request, int errnum, string? text = null);

    /// <summary>Publishes an event through rank 0 and returns its sequence number.</summary>
    Task<uint> PublishAsync(string topic, JsonNode? payload = null, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default);

    /// <summary>Subscribes to events whose topic starts with a prefix ("" matches every event).</summary>
    Task SubscribeAsync(string topicPrefix, CancellationToken cancellationToken = default);

    /// <summary>Removes one subscription made with <see cref="SubscribeAsync"/>.</summary>
    Task UnsubscribeAsync(string topicPrefix, CancellationToken cancellationToken = default);

    /// <summary>Registers a service name so that requests to <c>NAME.*</c> reach this handle.</summary>
    Task AddServiceAsync(string service, CancellationToken cancellationToken = default);

    /// <summary>Unregisters a service name added with <see cref="AddServiceAsync"/>.</summary>
    Task RemoveServiceAsync(string service, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a handler for messages of the given types whose topic matches a glob (<c>*</c>, <c>?</c>).
    /// For a request, the most recently added matching handler runs; a request whose credential has
    /// neither <see cref="FluxRole.Owner"/> nor a role in <paramref name="allow"/> is answered EPERM
    /// without running it; a request that matches no handler is answered ENOSYS. Every matching
    /// handler runs for an event. A handler that throws <see cref="FluxException"/> has its request
    /// answered with that errnum; any other exception is logged with the module's name and the request
    /// is answered with an error. Dispose the result to remove the handler.
    /// </summary>
    IDisposable RegisterHandler(MessageType types, string topicGlob, MessageHandler handler, FluxRole allow = FluxRole.Owner);

    /// <summary>
    /// Watches work that runs in the background (started and not awaited) so that its fault is never
    /// lost: the one way a plugin starts such work. If <paramref name="work"/> faults, the exception is
    /// logged with the handle's name and <paramref name="what"/> (a <see cref="FluxException"/> too,
    /// since no caller sees it otherwise); <paramref name="request"/>, when given, is answered with an
    /// RFC 6 error (the exception's errnum and text), so the work must not have answered it before
    /// failing; then <paramref name="onFault"/> runs, on the module's loop for a module's handle, for
    /// cleanup such as raising an exception on a job. A cancellation during shutdown is not a fault.
    /// </summary>
    void Background(Task work, string what, Message? request = null, Action<Exception>? onFault = null);
}

/// <summary>A message handler; it may answer its request now or later (a held request).</summary>
public delegate ValueTask MessageHandler(Message message);
