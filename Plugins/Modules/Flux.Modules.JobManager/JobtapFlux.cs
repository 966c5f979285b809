// The handle a jobtap plugin is given: the job manager's, with the plugin's faults named and its handlers dropped when it goes.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobManager;

/// <summary>
/// Wraps job-manager's handle for one plugin. A handler the plugin registers that throws anything
/// but a <see cref="FluxException"/> (a fault, not an answer) is logged with the plugin's name, and
/// its request is answered with an error naming the plugin; background work it starts reports a
/// fault the same way. The handlers it registered are removed when the plugin is removed.
/// </summary>
internal sealed class JobtapFlux(IFlux inner, string plugin, ILogger log) : IFlux
{
    private readonly List<IDisposable> _registrations = [];

    public uint Rank => inner.Rank;

    public uint Size => inner.Size;

    public string? Name => inner.Name;

    public FluxConfig Config => inner.Config;

    public ILogger Logger => inner.Logger;

    public ValueTask<string?> GetAttrAsync(string name, CancellationToken cancellationToken = default) => inner.GetAttrAsync(name, cancellationToken);

    public Task<Message> RequestAsync(Message request, CancellationToken cancellationToken = default) => inner.RequestAsync(request, cancellationToken);

    public Task<JsonObject?> RpcAsync(string topic, JsonNode? payload = null, uint nodeId = NodeId.Any, CancellationToken cancellationToken = default) =>
        inner.RpcAsync(topic, payload, nodeId, cancellationToken);

    public IAsyncEnumerable<Message> StreamAsync(Message request, CancellationToken cancellationToken = default) => inner.StreamAsync(request, cancellationToken);

    public void Send(Message message) => inner.Send(message);

    public void Respond(Message request, JsonNode? payload = null) => inner.Respond(request, payload);

    public void RespondRaw(Message request, ReadOnlyMemory<byte> payload) => inner.RespondRaw(request, payload);

    public void RespondError(Message request, int errnum, string? text = null) => inner.RespondError(request, errnum, text);

    public Task<uint> PublishAsync(string topic, JsonNode? payload = null, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        inner.PublishAsync(topic, payload, flags, cancellationToken);

    public Task SubscribeAsync(string topicPrefix, CancellationToken cancellationToken = default) => inner.SubscribeAsync(topicPrefix, cancellationToken);

    public Task UnsubscribeAsync(string topicPrefix, CancellationToken cancellationToken = default) => inner.UnsubscribeAsync(topicPrefix, cancellationToken);

    public Task AddServiceAsync(string service, CancellationToken cancellationToken = default) => inner.AddServiceAsync(service, cancellationToken);

    public Task RemoveServiceAsync(string service, CancellationToken cancellationToken = default) => inner.RemoveServiceAsync(service, cancellationToken);

    public IDisposable RegisterHandler(MessageType types, string topicGlob, MessageHandler handler, FluxRole allow = FluxRole.Owner)
    {
        var reg = inner.RegisterHandler(types, topicGlob, Guard(handler), allow);
        _registrations.Add(reg);
        return reg;
    }

    public void Background(Task work, string what, Message? request = null, Action<Exception>? onFault = null) =>
        inner.Background(work, $"jobtap plugin {plugin}: {what}", request, onFault);

    /// <summary>The job manager's handle outlives its plugins: disposing this one only drops the plugin's handlers.</summary>
    public ValueTask DisposeAsync()
    {
        Unload();
        return ValueTask.CompletedTask;
    }

    public void Unload()
    {
        _registrations.ForEach(r => r.Dispose());
        _registrations.Clear();
    }

    /// <summary>A handler whose fault names the plugin in the log and in the error response.</summary>
    public MessageHandler Guard(MessageHandler handler) => async msg =>
    {
        try
        {
            await handler(msg).ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is not (FluxException or OutOfMemoryException or OperationCanceledException))
        {
            var topic = msg.Topic ?? string.Empty;
            JobtapLog.PluginFault(log, plugin, topic, ex.ToString());
            throw new FluxException(Errno.EINVAL, $"jobtap plugin {plugin} failed at {topic}: {ex.Message}", ex);
        }
    };
}
