// A NULL-terminated array of NUL-terminated UTF-8 strings in one native block, for argv and envp.
using System.Runtime.InteropServices;
using System.Text;

namespace Flux.Subprocess;

internal sealed unsafe class NativeStringArray : IDisposable
{
    private byte* _block;

    public NativeStringArray(IReadOnlyList<string> items, string what)
    {
        var bytes = 0;
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, what);
            if (item.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"{what} entries cannot contain NUL characters", what);
            }
            bytes += Encoding.UTF8.GetByteCount(item) + 1;
        }
        var pointers = (nuint)(items.Count + 1) * (nuint)sizeof(byte*);
        _block = (byte*)NativeMemory.Alloc(pointers + (nuint)bytes);
        var table = (byte**)_block;
        var text = new Span<byte>(_block + pointers, bytes);
        var at = 0;
        for (var i = 0; i < items.Count; i++)
        {
            table[i] = _block + pointers + at;
            at += Encoding.UTF8.GetBytes(items[i], text[at..]);
            text[at++] = 0;
        }
        table[items.Count] = null;
    }

    public byte** Pointer => (byte**)_block;

    public void Dispose()
    {
        NativeMemory.Free(_block);
        _block = null;
    }
}
