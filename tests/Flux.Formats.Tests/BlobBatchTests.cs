// BlobBatch: the framing of content.store-batch (length-prefixed blobs; digests back in order).
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class BlobBatchTests
{
    [Fact]
    public void EncodeDecode_RoundTripsEmptyAndLargeBlobsInOrder()
    {
        byte[][] blobs = [[], [1, 2, 3], [.. Enumerable.Range(0, 70_000).Select(i => (byte)i)], [255]];
        var payload = BlobBatch.Encode([.. blobs.Select(b => (ReadOnlyMemory<byte>)b)]);
        Assert.Equal(blobs.Sum(b => 4 + b.Length), payload.Length);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3], payload[..11]);
        Assert.Equal(blobs, BlobBatch.Decode(payload).Select(m => m.ToArray()));
        Assert.Empty(BlobBatch.Decode(ReadOnlyMemory<byte>.Empty));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 1 }, "store-batch: 3 trailing bytes at offset 0 are not a length")]
    [InlineData(new byte[] { 0, 0, 0, 5, 1, 2 }, "store-batch: blob 0 at offset 0 claims 5 bytes but 2 remain")]
    [InlineData(new byte[] { 0, 0, 0, 1, 7, 255, 255, 255, 255 }, "store-batch: blob 1 at offset 5 claims -1 bytes but 0 remain")]
    public void Decode_BadFraming_SaysWhereAndWhy(byte[] payload, string message)
    {
        var ex = Assert.Throws<FluxException>(() => BlobBatch.Decode(payload));
        Assert.Equal((Errno.EPROTO, message), (ex.Errnum, ex.Message));
    }

    [Fact]
    public void Digests_SplitsInOrder_AndRefusesAWrongCount()
    {
        var payload = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        var d = BlobBatch.Digests(payload, 2, 20);
        Assert.Equal(payload[..20], d[0]);
        Assert.Equal(payload[20..], d[1]);
        var ex = Assert.Throws<FluxException>(() => BlobBatch.Digests(payload, 3, 20));
        Assert.Equal("store-batch: expected 3 digests of 20 bytes, got 40 bytes", ex.Message);
    }
}
