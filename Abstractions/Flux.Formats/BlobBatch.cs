// The framing of content.store-batch and <backing>.store-batch: many RFC 10 blobs in one message.
using System.Buffers.Binary;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// Many blobs in one raw payload, so that a KVS commit's new objects reach the content store (and
/// the content store's dirty blobs reach the backing store) in one request instead of one each.
/// A request payload is a sequence of <c>[4-byte big-endian length][blob]</c>; the response
/// payload is the blobs' raw digests, concatenated in the same order (as <c>content.store</c>
/// answers one raw digest).
/// </summary>
public static class BlobBatch
{
    /// <summary>Frames blobs for a <c>store-batch</c> request.</summary>
    public static byte[] Encode(IReadOnlyList<ReadOnlyMemory<byte>> blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        long size = 0;
        foreach (var b in blobs)
        {
            size += 4 + b.Length;
        }
        if (size > Array.MaxLength)
        {
            throw new FluxException(Errno.EFBIG, $"a batch of {blobs.Count} blobs ({size} bytes) is too large for one message");
        }
        var buf = GC.AllocateUninitializedArray<byte>((int)size); // every byte is written below
        var at = 0;
        foreach (var b in blobs)
        {
            BinaryPrimitives.WriteInt32BigEndian(buf.AsSpan(at), b.Length);
            b.Span.CopyTo(buf.AsSpan(at + 4));
            at += 4 + b.Length;
        }
        return buf;
    }

    /// <summary>Splits a <c>store-batch</c> request payload into its blobs (slices of the payload).</summary>
    public static List<ReadOnlyMemory<byte>> Decode(ReadOnlyMemory<byte> payload)
    {
        var blobs = new List<ReadOnlyMemory<byte>>();
        var at = 0;
        while (at < payload.Length)
        {
            if (payload.Length - at < 4)
            {
                throw new FluxException(Errno.EPROTO, $"store-batch: {payload.Length - at} trailing bytes at offset {at} are not a length");
            }
            var len = BinaryPrimitives.ReadInt32BigEndian(payload.Span[at..]);
            if (len < 0 || len > payload.Length - at - 4)
            {
                throw new FluxException(Errno.EPROTO, $"store-batch: blob {blobs.Count} at offset {at} claims {len} bytes but {payload.Length - at - 4} remain");
            }
            blobs.Add(payload.Slice(at + 4, len));
            at += 4 + len;
        }
        return blobs;
    }

    /// <summary>Splits a <c>store-batch</c> response into the raw digests, checking the count.</summary>
    public static List<byte[]> Digests(ReadOnlyMemory<byte> payload, int count, int digestSize)
    {
        if (payload.Length != (long)count * digestSize)
        {
            throw new FluxException(Errno.EPROTO, $"store-batch: expected {count} digests of {digestSize} bytes, got {payload.Length} bytes");
        }
        var digests = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            digests.Add(payload.Slice(i * digestSize, digestSize).ToArray());
        }
        return digests;
    }
}
