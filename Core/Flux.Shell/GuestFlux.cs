// A job shell's view of its broker connection: every request and event it sends carries the job's user as a guest (flux-shell(1)).
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Microsoft.Extensions.Logging;

namespace Flux.Shell;

/// <summary>
/// flux-shell(1): "the shell runs with restricted Flux service access as a guest user". A shell host
/// (or a standalone shell) connects once, as its process's user, which in a single-user instance is
/// the instance owner; each job's shell, and every C# plugin it hands <see cref="IShell.Flux"/>, talks
/// through this view instead, which stamps the messages it sends with the job's userid and the guest
/// role (an owner's connection may lower the credentials of what it sends, as flux-core's
/// connector-local allows). The broker then grants what it grants a guest: the job's own KVS
/// namespace, services named <c>USERID-*</c>, the calls open to every user; writing the primary
/// namespace, loading modules or cancelling other users' jobs fail with EPERM. Responses to the
/// requests it receives, handlers and subscriptions stay the connection's.
/// </summary>
public sealed class GuestFlux(IFlux inner, uint userId) : IFlux
{
    /// <inheritdoc />
    public uint Rank => inner.Rank;

    /// <inheritdoc />
    public uint Size => inner.Size;

    /// <inheritdoc />
    public string? Name => inner.Name;

    /// <inheritdoc />
    public FluxConfig Config => inner.Config;

    /// <inheritdoc />
    public ILogger Logger => inner.Logger;

    /// <summary>The userid every message sent through this view carries.</summary>
    public uint UserId => userId;

    /// <inheritdoc />
    public ValueTask<string?> GetAttrAsync(string name, CancellationToken cancellationToken = default) => inner.GetAttrAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<Message> RequestAsync(Message request, CancellationToken cancellationToken = default) =>
        inner.RequestAsync(Stamp(request), cancellationToken);

    /// <inheritdoc />
    public async Task<JsonObject?> RpcAsync(string topic, JsonNode? payload = null, uint nodeId = NodeId.Any, CancellationToken cancellationToken = default)
    {
        var response = await inner.RequestAsync(Stamp(Message.Request(topic, payload, nodeId)), cancellationToken).ConfigureAwait(true);
        return response.GetJsonOrNull();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Message> StreamAsync(Message request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var m in inner.StreamAsync(Stamp(request), cancellationToken).ConfigureAwait(true))
        {
            yield return m;
        }
    }

    /// <inheritdoc />
    public void Send(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        inner.Send(message.Type is MessageType.Request or MessageType.Event ? Stamp(message) : message);
    }

    /// <inheritdoc />
    public void Respond(Message request, JsonNode? payload = null) => inner.Respond(request, payload);

    /// <inheritdoc />
    public void RespondRaw(Message request, ReadOnlyMemory<byte> payload) => inner.RespondRaw(request, payload);

    /// <inheritdoc />
    public void RespondError(Message request, int errnum, string? text = null) => inner.RespondError(request, errnum, text);

    /// <inheritdoc />
    public async Task<uint> PublishAsync(string topic, JsonNode? payload = null, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        var req = new JsonObject { ["topic"] = topic, ["flags"] = (int)flags };
        if (payload is not null)
        {
            var tmp = new Message(MessageType.Event);
            tmp.SetJson(payload);
            req["payload"] = Convert.ToBase64String(tmp.Payload.Span);
        }
        var resp = await RpcAsync("event.publish", req, NodeId.Any, cancellationToken).ConfigureAwait(true);
        return resp?["seq"]?.GetValue<uint>() ?? 0;
    }

    /// <inheritdoc />
    public Task SubscribeAsync(string topicPrefix, CancellationToken cancellationToken = default) =>
        BrokerServiceCalls.SubscribeAsync(this, topicPrefix, cancellationToken);

    /// <inheritdoc />
    public Task UnsubscribeAsync(string topicPrefix, CancellationToken cancellationToken = default) =>
        BrokerServiceCalls.UnsubscribeAsync(this, topicPrefix, cancellationToken);

    /// <inheritdoc />
    public Task AddServiceAsync(string service, CancellationToken cancellationToken = default) =>
        BrokerServiceCalls.AddServiceAsync(this, service, cancellationToken);

    /// <inheritdoc />
    public Task RemoveServiceAsync(string service, CancellationToken cancellationToken = default) =>
        BrokerServiceCalls.RemoveServiceAsync(this, service, cancellationToken);

    /// <inheritdoc />
    public IDisposable RegisterHandler(MessageType types, string topicGlob, MessageHandler handler, FluxRole allow = FluxRole.Owner) =>
        inner.RegisterHandler(types, topicGlob, handler, allow);

    /// <inheritdoc />
    public void Background(Task work, string what, Message? request = null, Action<Exception>? onFault = null) =>
        inner.Background(work, what, request, onFault);

    /// <summary>The connection stays the shell host's: disposing a job's view closes nothing.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Message Stamp(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.UserId = userId;
        message.RoleMask = FluxRole.User;
        return message;
    }
}
