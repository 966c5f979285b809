// A growable byte buffer that a thread reuses for encoding JSON payloads without intermediate strings.
using System.Buffers;

namespace Flux.Abstractions;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> kept and reused by one thread (see <see cref="JsonScratch"/>):
/// encoding the next document costs no new buffer unless it is larger than any before. Growing
/// allocates without zeroing; <see cref="Reset"/> lets go of a buffer grown past what is worth
/// keeping, so one large document does not stay resident for the thread's life.
/// </summary>
internal sealed class ScratchBuffer : IBufferWriter<byte>
{
    private readonly int _initialCapacity;
    private byte[] _buffer;
    private int _length;

    public ScratchBuffer(int initialCapacity)
    {
        _initialCapacity = initialCapacity;
        _buffer = GC.AllocateUninitializedArray<byte>(initialCapacity);
    }

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

    /// <summary>Forgets what was written; keeps the storage unless it grew larger than <paramref name="keep"/>.</summary>
    public void Reset(int keep)
    {
        _length = 0;
        if (_buffer.Length > keep)
        {
            _buffer = GC.AllocateUninitializedArray<byte>(_initialCapacity);
        }
    }

    private void Ensure(int sizeHint)
    {
        var need = _length + Math.Max(sizeHint, 1);
        if (need <= _buffer.Length)
        {
            return;
        }
        var bigger = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max(need, 2L * _buffer.Length)));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        _buffer = bigger;
    }
}
