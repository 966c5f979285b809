// Encodes JSON through one reusable writer and buffer per thread, instead of a new pair per document.
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Flux.Abstractions;

internal static class JsonScratch
{
    private const int KeepCapacity = 1024 * 1024;

    private static readonly JsonWriterOptions RelaxedOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static Slot? t_relaxed;

    [ThreadStatic]
    private static Slot? t_strict;

    /// <summary>
    /// Runs <paramref name="write"/> on a cleared writer and returns what it wrote, followed by
    /// <paramref name="suffix"/> when it is not negative (a NUL for a payload, a newline for an
    /// eventlog line). <paramref name="relaxed"/> leaves non-ASCII and HTML characters unescaped.
    /// </summary>
    public static byte[] Encode<TState>(TState state, Action<Utf8JsonWriter, TState> write, bool relaxed, int suffix)
    {
        ref var cached = ref relaxed ? ref t_relaxed : ref t_strict;
        // A write callback that encodes another document while this one is open gets its own slot.
        var slot = cached is { Busy: false } ? cached : new Slot(relaxed ? RelaxedOptions : default);
        cached ??= slot;
        slot.Busy = true;
        try
        {
            slot.Writer.Reset(slot.Buffer);
            write(slot.Writer, state);
            slot.Writer.Flush();
            var n = slot.Buffer.WrittenSpan.Length;
            var result = GC.AllocateUninitializedArray<byte>(n + (suffix >= 0 ? 1 : 0));
            slot.Buffer.WrittenSpan.CopyTo(result);
            if (suffix >= 0)
            {
                result[n] = (byte)suffix;
            }
            return result;
        }
        finally
        {
            // Up to 1 MiB stays with the thread (a bulk submission's commits are about that size).
            slot.Buffer.Reset(KeepCapacity);
            slot.Busy = false;
        }
    }

    private sealed class Slot
    {
        public Slot(JsonWriterOptions options)
        {
            Writer = new Utf8JsonWriter(Buffer, options);
        }

        public ScratchBuffer Buffer { get; } = new(1024);

        public Utf8JsonWriter Writer { get; }

        public bool Busy { get; set; }
    }
}
