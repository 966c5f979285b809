// FluxHandle as a service: responses, handlers for requests and events, background work and its faults.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Microsoft.Extensions.Logging;
using TopicGlob = Flux.Formats.Glob;

namespace Flux.Client.Handle;

/// <content>Answers to requests, handlers for requests and events addressed to this handle, and background work that reports its faults.</content>
public sealed partial class FluxHandle
{
    /// <inheritdoc />
    public void Respond(Message request, JsonNode? payload = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsNoResponse)
        {
            return;
        }
        var r = Message.ResponseTo(request);
        if (payload is not null)
        {
            r.SetJson(payload);
        }
        _channel.Send(r);
    }

    /// <inheritdoc />
    public void RespondRaw(Message request, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsNoResponse)
        {
            return;
        }
        var r = Message.ResponseTo(request);
        r.SetPayload(payload);
        _channel.Send(r);
    }

    /// <inheritdoc />
    public void RespondError(Message request, int errnum, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsNoResponse)
        {
            return;
        }
        var r = Message.ResponseTo(request);
        r.Errnum = errnum == 0 ? Errno.EINVAL : errnum;
        if (!string.IsNullOrEmpty(text))
        {
            r.SetString(text);
        }
        _channel.Send(r);
    }

    /// <inheritdoc />
    public IDisposable RegisterHandler(MessageType types, string topicGlob, MessageHandler handler, FluxRole allow = FluxRole.Owner)
    {
        ArgumentNullException.ThrowIfNull(topicGlob);
        ArgumentNullException.ThrowIfNull(handler);
        var entry = new HandlerEntry(types, topicGlob, TopicGlob.IsGlob(topicGlob), handler, allow);
        lock (_lock)
        {
            if (_actor is null && _ownsActor)
            {
                _actor = new ActorContext("flux-client", ex => FluxHandleLog.ClientHandlerFailed(Logger, ex));
            }
            _handlers = [.. _handlers, entry];
        }
        return new Registration(this, entry);
    }

    /// <summary>The topic globs of the request handlers registered now (the module host checks them against the module's services).</summary>
    internal IReadOnlyList<string> RequestHandlerTopics() =>
        [.. _handlers.Where(h => (h.Types & MessageType.Request) != 0).Select(h => h.Glob)];

    /// <summary>Removes every handler (used when a module unloads, so nothing in the host refers to its code).</summary>
    internal void ClearHandlers()
    {
        lock (_lock)
        {
            _handlers = [];
        }
    }

    private void Dispatch(Message msg)
    {
        var handlers = _handlers;
        if (msg.Type == MessageType.Event)
        {
            foreach (var h in handlers)
            {
                if (h.Matches(msg))
                {
                    _ = Invoke(h, msg);
                }
            }
            return;
        }
        for (var i = handlers.Length - 1; i >= 0; i--)
        {
            if (handlers[i].Matches(msg))
            {
                _ = Invoke(handlers[i], msg);
                return;
            }
        }
        if (msg.Type == MessageType.Request)
        {
            RespondError(msg, Errno.ENOSYS);
        }
    }

    private async Task Invoke(HandlerEntry h, Message msg)
    {
        try
        {
            if (msg.Type == MessageType.Request
                && (msg.RoleMask & FluxRole.Owner) == 0
                && (msg.RoleMask & h.Allow) == 0)
            {
                RespondError(msg, Errno.EPERM, $"{msg.Topic}: only the instance owner may do this");
                return;
            }
            await h.Handler(msg).ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (ex is not FluxException)
            {
                FluxHandleLog.HandlerFailed(Logger, msg.Topic ?? string.Empty, ex.ToString());
            }
            if (msg.Type == MessageType.Request)
            {
                var text = ex is FluxException ? ex.Message : $"{Name ?? "client"}: {ex.GetType().Name}: {ex.Message}";
                RespondError(msg, ErrorMapping.ToErrnum(ex), text);
            }
        }
    }

    /// <inheritdoc />
    public void Background(Task work, string what, Message? request = null, Action<Exception>? onFault = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(what);
        if (work.IsCompletedSuccessfully)
        {
            return;
        }
        // Only a fault costs anything: a task that completes adds no item to the module's loop.
        var fault = new BackgroundFault(this, what, request, onFault, SynchronizationContext.Current);
        work.ContinueWith(static (t, state) => ((BackgroundFault)state!).Report(t), fault, CancellationToken.None,
            TaskContinuationOptions.NotOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // What to report if a background task does not complete; reported on the loop that started it
    // (a module's), so onFault needs no locks.
    private sealed record BackgroundFault(FluxHandle Handle, string What, Message? Request, Action<Exception>? OnFault, SynchronizationContext? Loop)
    {
        public void Report(Task work)
        {
            // Background loops end by cancellation when their module stops: not a fault, unless
            // someone is waiting on the work.
            if (work.IsCanceled && Request is null && OnFault is null)
            {
                return;
            }
            var ex = work.Exception is { } agg
                ? (agg.InnerExceptions.Count == 1 ? agg.InnerExceptions[0] : agg)
                : new OperationCanceledException($"{What} was canceled");
            if (ex is OutOfMemoryException)
            {
                return;
            }
            if (Loop is null)
            {
                Handle.ReportFault(What, ex, Request, OnFault);
            }
            else
            {
                Loop.Post(static s => { var (f, e) = ((BackgroundFault, Exception))s!; f.Handle.ReportFault(f.What, e, f.Request, f.OnFault); }, (this, ex));
            }
        }
    }

    private void ReportFault(string what, Exception ex, Message? request, Action<Exception>? onFault)
    {
        var name = Name ?? "client";
        FluxHandleLog.BackgroundFailed(Logger, what, ex is FluxException ? ex.Message : ex.ToString());
        if (request is not null && request.Type == MessageType.Request)
        {
            var text = ex is FluxException ? ex.Message : $"{name}: {what}: {ex.GetType().Name}: {ex.Message}";
            RespondError(request, ErrorMapping.ToErrnum(ex), text);
        }
        if (onFault is null)
        {
            return;
        }
        try
        {
            onFault(ex);
        }
        catch (Exception again) when (again is not OutOfMemoryException)
        {
            FluxHandleLog.CleanupFailed(Logger, what, again.ToString());
        }
    }

    private void Remove(HandlerEntry entry)
    {
        lock (_lock)
        {
            _handlers = [.. _handlers.Where(h => !ReferenceEquals(h, entry))];
        }
    }

    private sealed record HandlerEntry(MessageType Types, string Glob, bool IsGlob, MessageHandler Handler, FluxRole Allow)
    {
        public bool Matches(Message m) =>
            (Types & m.Type) != 0 && m.Topic is { } t && (IsGlob ? TopicGlob.IsMatch(Glob, t) : string.Equals(Glob, t, StringComparison.Ordinal));
    }

    private sealed class Registration(FluxHandle owner, HandlerEntry entry) : IDisposable
    {
        public void Dispose() => owner.Remove(entry);
    }
}
