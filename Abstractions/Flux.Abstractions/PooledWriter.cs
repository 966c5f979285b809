// A growable byte buffer on ArrayPool arrays, for encoding JSON payloads without intermediate strings.
using System.Buffers;

namespace Flux.Abstractions;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> whose storage is rented: growing rents a larger array and
/// returns the old one, so a writer that encodes a large document again and again (a KVS commit of
/// a bulk submission) neither allocates nor zeroes a new array each time.
/// </summary>
internal sealed class PooledWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _length;

    public PooledWriter(int initialCapacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int Capacity => _buffer.Length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Forgets what was written; keeps the storage unless it is larger than <paramref name="keep"/>.</summary>
    public void Reset(int keep)
    {
        _length = 0;
        if (_buffer.Length > keep)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(keep);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Ensure(int sizeHint)
    {
        var need = _length + Math.Max(sizeHint, 1);
        if (need <= _buffer.Length)
        {
            return;
        }
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(need, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
