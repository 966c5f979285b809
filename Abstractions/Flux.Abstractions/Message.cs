// A Flux message: every field of RFC 3, with helpers for the payload conventions of RFC 6.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.Abstractions;

/// <summary>
/// A Flux message (RFC 3): type, flags, credential, the two type-dependent header words, topic,
/// payload and route stack. Instances are mutable while being built and should be treated as
/// immutable once sent: the router may hand the same instance to several subscribers.
/// </summary>
public sealed class Message
{
    /// <summary>Creates an empty message of a type, with the invalid credential (unknown user, no role).</summary>
    public Message(MessageType type)
    {
        Type = type;
    }

    /// <summary>The message type.</summary>
    public MessageType Type { get; set; }

    /// <summary>
    /// Sender-set flags (<see cref="MessageFlags.NoResponse"/>, <see cref="MessageFlags.Upstream"/>,
    /// <see cref="MessageFlags.Private"/>, <see cref="MessageFlags.Streaming"/>, <see cref="MessageFlags.User1"/>).
    /// The frame-presence flags are derived from <see cref="Topic"/>, <see cref="HasPayload"/> and
    /// <see cref="Routes"/> by the codec.
    /// </summary>
    public MessageFlags Flags { get; set; }

    /// <summary>The authenticated userid, or <see cref="NodeId.UnknownUserId"/> before the broker stamps it.</summary>
    public uint UserId { get; set; } = NodeId.UnknownUserId;

    /// <summary>The authenticated roles, stamped by the broker where the message entered it.</summary>
    public FluxRole RoleMask { get; set; }

    /// <summary>Header word aux1: nodeid (request), errnum (response), sequence (event), control type.</summary>
    public uint Aux1 { get; set; }

    /// <summary>Header word aux2: matchtag (request, response), status (control); 0 for events.</summary>
    public uint Aux2 { get; set; }

    /// <summary>The topic string; the first dotted word of a request's topic is its service name.</summary>
    public string? Topic { get; set; }

    /// <summary>The payload bytes (for JSON and strings, including the trailing NUL of RFC 6).</summary>
    public ReadOnlyMemory<byte> Payload { get; private set; }

    /// <summary>Whether a payload frame is present (it may be present and empty).</summary>
    public bool HasPayload { get; private set; }

    /// <summary>
    /// The route stack, or null when the message has no route delimiter. Element 0 is the original
    /// sender; the last element is the most recent hop. (On the wire the order is reversed: RFC 3 as
    /// flux-core writes it puts the most recent hop first.)
    /// </summary>
    public List<string>? Routes { get; set; }

    /// <summary>Request target rank (alias of <see cref="Aux1"/>).</summary>
    public uint NodeIdTarget { get => Aux1; set => Aux1 = value; }

    /// <summary>Response error number, 0 on success (alias of <see cref="Aux1"/>).</summary>
    public int Errnum { get => (int)Aux1; set => Aux1 = (uint)value; }

    /// <summary>Event sequence number (alias of <see cref="Aux1"/>).</summary>
    public uint Sequence { get => Aux1; set => Aux1 = value; }

    /// <summary>Request/response matchtag (alias of <see cref="Aux2"/>).</summary>
    public uint Matchtag { get => Aux2; set => Aux2 = value; }

    /// <summary>Whether the request expects no response.</summary>
    public bool IsNoResponse => (Flags & MessageFlags.NoResponse) != 0;

    /// <summary>Whether the request expects a stream of responses.</summary>
    public bool IsStreaming => (Flags & MessageFlags.Streaming) != 0;

    /// <summary>The service name: the topic's first dotted word.</summary>
    public string Service
    {
        get
        {
            var t = Topic ?? string.Empty;
            var dot = t.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? t : t[..dot];
        }
    }

    /// <summary>The original sender's route identity, or null when the route stack is empty.</summary>
    public string? Sender => Routes is { Count: > 0 } r ? r[0] : null;

    /// <summary>Creates a request to a topic with an optional JSON payload.</summary>
    public static Message Request(string topic, JsonNode? payload = null, uint nodeId = NodeId.Any)
    {
        var m = new Message(MessageType.Request) { Topic = topic, NodeIdTarget = nodeId };
        if (payload is not null)
        {
            m.SetJson(payload);
        }
        return m;
    }

    /// <summary>Creates an event with an optional JSON payload.</summary>
    public static Message Event(string topic, JsonNode? payload = null)
    {
        var m = new Message(MessageType.Event) { Topic = topic };
        if (payload is not null)
        {
            m.SetJson(payload);
        }
        return m;
    }

    /// <summary>Creates the response skeleton for a request: same topic, matchtag and routes.</summary>
    public static Message ResponseTo(Message request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Message(MessageType.Response)
        {
            Topic = request.Topic,
            Matchtag = request.Matchtag,
            Routes = request.Routes is null ? null : new List<string>(request.Routes),
            UserId = request.UserId,
            RoleMask = request.RoleMask,
            Flags = request.Flags & MessageFlags.Streaming,
        };
    }

    /// <summary>Sets raw payload bytes (used as given: no NUL is added).</summary>
    public void SetPayload(ReadOnlyMemory<byte> payload)
    {
        Payload = payload;
        HasPayload = true;
    }

    /// <summary>Removes the payload frame.</summary>
    public void ClearPayload()
    {
        Payload = default;
        HasPayload = false;
    }

    /// <summary>Sets a string payload, NUL-terminated as RFC 6 requires.</summary>
    public void SetString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        SetPayload(bytes);
    }

    /// <summary>Sets a JSON object payload, NUL-terminated (RFC 6).</summary>
    public void SetJson(JsonNode payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        SetPayload(JsonScratch.Encode(payload, static (w, p) => p.WriteTo(w), relaxed: false, suffix: 0));
    }

    /// <summary>
    /// Encodes a JSON payload written by <paramref name="write"/> straight to NUL-terminated UTF-8
    /// (RFC 6), with no tree in between; the same bytes can answer several requests
    /// (<see cref="IFlux.RespondRaw"/>) or be set with <see cref="SetPayload"/>. Non-ASCII
    /// characters are written as they are, not escaped.
    /// </summary>
    public static byte[] EncodeJson<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return JsonScratch.Encode(state, write, relaxed: true, suffix: 0);
    }

    /// <summary>Sets a JSON payload already encoded as UTF-8 (a NUL is appended).</summary>
    public void SetJsonUtf8(ReadOnlySpan<byte> json)
    {
        var bytes = new byte[json.Length + 1];
        json.CopyTo(bytes);
        SetPayload(bytes);
    }

    /// <summary>The payload without its trailing NUL, if it has one.</summary>
    public ReadOnlyMemory<byte> PayloadWithoutNul
    {
        get
        {
            var p = Payload;
            return p.Length > 0 && p.Span[^1] == 0 ? p[..^1] : p;
        }
    }

    /// <summary>The payload as a string (UTF-8, trailing NUL removed), or null when there is none.</summary>
    public string? GetString() => HasPayload ? Encoding.UTF8.GetString(PayloadWithoutNul.Span) : null;

    /// <summary>
    /// Parses the payload as a JSON object. Throws <see cref="FluxException"/> with EPROTO when the
    /// payload is missing or is not a JSON object.
    /// </summary>
    public JsonObject GetJson()
    {
        if (!HasPayload)
        {
            throw new FluxException(Errno.EPROTO, $"{Topic}: message has no payload");
        }
        try
        {
            return JsonNode.Parse(PayloadWithoutNul.Span) as JsonObject
                ?? throw new FluxException(Errno.EPROTO, $"{Topic}: payload is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new FluxException(Errno.EPROTO, $"{Topic}: malformed JSON payload: {ex.Message}", ex);
        }
    }

    /// <summary>Parses the payload as a JSON object, or returns null when there is no payload.</summary>
    public JsonObject? GetJsonOrNull() => HasPayload && PayloadWithoutNul.Length > 0 ? GetJson() : null;

    /// <inheritdoc />
    public override string ToString()
    {
        var kind = Type switch
        {
            MessageType.Request => $"request nodeid={(Aux1 == NodeId.Any ? "any" : Aux1.ToString(System.Globalization.CultureInfo.InvariantCulture))} matchtag={Aux2}",
            MessageType.Response => $"response errnum={Errnum} matchtag={Aux2}",
            MessageType.Event => $"event seq={Aux1}",
            _ => $"control type={Aux1} status={Aux2}",
        };
        return $"{kind} topic={Topic} flags={Flags} userid={UserId} rolemask={RoleMask} payload={Payload.Length}B routes={(Routes is null ? "none" : string.Join('!', Routes))}";
    }
}
