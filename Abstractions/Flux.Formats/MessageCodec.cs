// RFC 3 message encoding: frames (route stack, delimiter, topic, payload, 20-byte proto) and the
// 8-byte stream prefix that flux-core's local connector writes (FLUX-DIGEST §1.6, [core] variant).
using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// Encodes and decodes RFC 3 messages. A message is a list of frames, each written as a length
/// (one byte below 255, else 0xFF and a 4-byte big-endian length) then its bytes, in the order:
/// routes (most recent hop first), the empty route delimiter, topic, payload, and last the proto
/// frame: magic 0x8E, version 1, type, flags, then userid, rolemask, aux1, aux2 as big-endian
/// 32-bit words. On a stream each message is preceded by the magic 0xffee0012 stored in host
/// order (bytes 12 00 EE FF on little-endian machines, as flux-core's sendfd() does) and the
/// big-endian length of the encoded message, not counting these 8 bytes.
/// </summary>
public static class MessageCodec
{
    /// <summary>Size of the proto frame.</summary>
    public const int ProtoSize = 20;

    /// <summary>Size of the stream prefix.</summary>
    public const int PrefixSize = 8;

    /// <summary>Largest encoded message accepted from a stream (1 GiB, RFC 10's temporary blob limit).</summary>
    public const int MaxMessageSize = 1 << 30;

    private const byte ProtoMagic = 0x8E;
    private const byte ProtoVersion = 0x01;
    private const uint StreamMagic = 0xffee0012;

    /// <summary>The encoded size of a message, without the stream prefix.</summary>
    public static int GetEncodedSize(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = FrameSize(ProtoSize);
        if (message.Routes is { } routes)
        {
            foreach (var r in routes)
            {
                size += FrameSize(Encoding.UTF8.GetByteCount(r));
            }
            size += 1;
        }
        if (message.Topic is { } topic)
        {
            size += FrameSize(Encoding.UTF8.GetByteCount(topic));
        }
        if (message.HasPayload)
        {
            size += FrameSize(message.Payload.Length);
        }
        return size;
    }

    /// <summary>Encodes a message into a destination at least <see cref="GetEncodedSize"/> long; returns bytes written.</summary>
    public static int Encode(Message message, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(message);
        var pos = 0;
        var flags = message.Flags & ~(MessageFlags.Topic | MessageFlags.Payload | MessageFlags.Route);
        if (message.Routes is { } routes)
        {
            flags |= MessageFlags.Route;
            for (var i = routes.Count - 1; i >= 0; i--)
            {
                pos += WriteStringFrame(routes[i], destination[pos..]);
            }
            destination[pos++] = 0;
        }
        if (message.Topic is { } topic)
        {
            flags |= MessageFlags.Topic;
            pos += WriteStringFrame(topic, destination[pos..]);
        }
        if (message.HasPayload)
        {
            flags |= MessageFlags.Payload;
            pos += WriteLength(message.Payload.Length, destination[pos..]);
            message.Payload.Span.CopyTo(destination[pos..]);
            pos += message.Payload.Length;
        }
        destination[pos++] = ProtoSize;
        var proto = destination.Slice(pos, ProtoSize);
        proto[0] = ProtoMagic;
        proto[1] = ProtoVersion;
        proto[2] = (byte)message.Type;
        proto[3] = (byte)flags;
        BinaryPrimitives.WriteUInt32BigEndian(proto[4..], message.UserId);
        BinaryPrimitives.WriteUInt32BigEndian(proto[8..], (uint)message.RoleMask);
        BinaryPrimitives.WriteUInt32BigEndian(proto[12..], message.Aux1);
        BinaryPrimitives.WriteUInt32BigEndian(proto[16..], message.Aux2);
        return pos + ProtoSize;
    }

    /// <summary>Encodes a message into a new array (no stream prefix).</summary>
    public static byte[] Encode(Message message)
    {
        var buf = new byte[GetEncodedSize(message)];
        Encode(message, buf);
        return buf;
    }

    /// <summary>Encodes a message with its stream prefix into a buffer writer.</summary>
    public static void EncodeWithPrefix(Message message, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var size = GetEncodedSize(message);
        var span = writer.GetSpan(PrefixSize + size);
        WritePrefix(span, size);
        Encode(message, span[PrefixSize..]);
        writer.Advance(PrefixSize + size);
    }

    /// <summary>Writes the 8-byte stream prefix for a message of the given encoded size.</summary>
    public static void WritePrefix(Span<byte> destination, int encodedSize)
    {
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, StreamMagic);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, StreamMagic);
        }
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)encodedSize);
    }

    /// <summary>
    /// Reads a stream prefix. Returns the encoded size that follows it, or throws
    /// <see cref="MessageFormatException"/> for a bad magic or an impossible length.
    /// </summary>
    public static int ReadPrefix(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length < PrefixSize)
        {
            throw new MessageFormatException("short stream prefix");
        }
        var magic = BitConverter.IsLittleEndian
            ? BinaryPrimitives.ReadUInt32LittleEndian(prefix)
            : BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (magic != StreamMagic)
        {
            throw new MessageFormatException($"bad stream magic 0x{magic:x8}");
        }
        var size = BinaryPrimitives.ReadUInt32BigEndian(prefix[4..]);
        if (size < ProtoSize + 1 || size > MaxMessageSize)
        {
            throw new MessageFormatException($"impossible message length {size}");
        }
        return (int)size;
    }

    /// <summary>
    /// Decodes one message from exactly the given bytes. Any malformation is reported as
    /// <see cref="MessageFormatException"/>: short or overlong frames, bad magic or version, an
    /// unknown type, flags that disagree with the frames present, undecodable UTF-8 in a topic or
    /// route, or a response without a matchtag.
    /// </summary>
    public static Message Decode(ReadOnlySpan<byte> data)
    {
        // Pass 1: count frames and find the proto frame, checking every length against the buffer.
        var frames = 0;
        var pos = 0;
        var lastStart = -1;
        var lastLen = -1;
        while (pos < data.Length)
        {
            var len = ReadLength(data, ref pos);
            if (len > data.Length - pos)
            {
                throw new MessageFormatException($"frame {frames} length {len} runs past the end of the message");
            }
            lastStart = pos;
            lastLen = len;
            pos += len;
            frames++;
        }
        if (frames == 0)
        {
            throw new MessageFormatException("empty message");
        }
        if (lastLen != ProtoSize)
        {
            throw new MessageFormatException($"proto frame is {lastLen} bytes, expected {ProtoSize}");
        }
        var proto = data.Slice(lastStart, ProtoSize);
        if (proto[0] != ProtoMagic)
        {
            throw new MessageFormatException($"bad proto magic 0x{proto[0]:x2}");
        }
        if (proto[1] != ProtoVersion)
        {
            throw new MessageFormatException($"unsupported proto version {proto[1]}");
        }
        var type = (MessageType)proto[2];
        if (type is not (MessageType.Request or MessageType.Response or MessageType.Event or MessageType.Control))
        {
            throw new MessageFormatException($"unknown message type 0x{proto[2]:x2}");
        }
        var flags = (MessageFlags)proto[3];
        var msg = new Message(type)
        {
            Flags = flags & ~(MessageFlags.Topic | MessageFlags.Payload | MessageFlags.Route),
            UserId = BinaryPrimitives.ReadUInt32BigEndian(proto[4..]),
            RoleMask = (FluxRole)BinaryPrimitives.ReadUInt32BigEndian(proto[8..]),
            Aux1 = BinaryPrimitives.ReadUInt32BigEndian(proto[12..]),
            Aux2 = BinaryPrimitives.ReadUInt32BigEndian(proto[16..]),
        };
        if (type == MessageType.Response && msg.Matchtag == NodeId.MatchtagNone)
        {
            throw new MessageFormatException("response without a matchtag");
        }

        // Pass 2: interpret the frames before the proto according to the flags.
        var hasRoute = (flags & MessageFlags.Route) != 0;
        var hasTopic = (flags & MessageFlags.Topic) != 0;
        var hasPayload = (flags & MessageFlags.Payload) != 0;
        var fixedFrames = (hasTopic ? 1 : 0) + (hasPayload ? 1 : 0) + 1;
        var routeFrames = frames - fixedFrames;
        if (routeFrames < 0 || (!hasRoute && routeFrames != 0) || (hasRoute && routeFrames < 1))
        {
            throw new MessageFormatException($"{frames} frames do not match flags 0x{(byte)flags:x2}");
        }
        pos = 0;
        if (hasRoute)
        {
            var routes = new string[routeFrames - 1];
            for (var i = 0; i < routeFrames - 1; i++)
            {
                var len = ReadLength(data, ref pos);
                if (len == 0)
                {
                    throw new MessageFormatException("empty route frame before the route delimiter");
                }
                routes[routeFrames - 2 - i] = DecodeUtf8(data.Slice(pos, len), "route");
                pos += len;
            }
            if (ReadLength(data, ref pos) != 0)
            {
                throw new MessageFormatException("missing route delimiter");
            }
            msg.Routes = [.. routes];
        }
        if (hasTopic)
        {
            var len = ReadLength(data, ref pos);
            msg.Topic = DecodeUtf8(data.Slice(pos, len), "topic");
            pos += len;
        }
        if (hasPayload)
        {
            var len = ReadLength(data, ref pos);
            msg.SetPayload(data.Slice(pos, len).ToArray());
        }
        if (type is MessageType.Request or MessageType.Response or MessageType.Event && msg.Topic is null)
        {
            throw new MessageFormatException($"{type.ToString().ToLowerInvariant()} without a topic");
        }
        return msg;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new MessageFormatException($"{what} frame is not valid UTF-8");
        }
    }

    private static int FrameSize(int len) => (len < 255 ? 1 : 5) + len;

    private static int WriteLength(int len, Span<byte> dst)
    {
        if (len < 255)
        {
            dst[0] = (byte)len;
            return 1;
        }
        dst[0] = 0xFF;
        BinaryPrimitives.WriteUInt32BigEndian(dst[1..], (uint)len);
        return 5;
    }

    private static int WriteStringFrame(string s, Span<byte> dst)
    {
        var len = Encoding.UTF8.GetByteCount(s);
        var n = WriteLength(len, dst);
        Encoding.UTF8.GetBytes(s, dst[n..]);
        return n + len;
    }

    private static int ReadLength(ReadOnlySpan<byte> data, ref int pos)
    {
        if (pos >= data.Length)
        {
            throw new MessageFormatException("truncated frame length");
        }
        var b = data[pos++];
        if (b < 0xFF)
        {
            return b;
        }
        if (data.Length - pos < 4)
        {
            throw new MessageFormatException("truncated long frame length");
        }
        var len = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
        pos += 4;
        if (len > int.MaxValue)
        {
            throw new MessageFormatException($"frame length {len} is too large");
        }
        return (int)len;
    }
}
