// Reads the newline-terminated requests of one PMI_FD socket.
using System.Text;
using Flux.Abstractions;

namespace Flux.ShellPlugins.Pmi;

/// <summary>
/// Splits a task's PMI stream into lines (without the newline). Bytes map one to one onto chars
/// (Latin-1) so that lengths are counted in bytes, as the C clients and flux-core's limits count them,
/// and any value a task puts comes back byte for byte.
/// </summary>
internal sealed class PmiLineReader(Stream stream, int lineMax)
{
    public static readonly Encoding Encoding = Encoding.Latin1;

    private readonly byte[] _buffer = new byte[lineMax];
    private int _start;
    private int _end;

    /// <summary>The next line, or null at end of stream (a last line without newline is dropped: the task died writing it).</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (nl >= 0)
            {
                var line = Encoding.GetString(_buffer, _start, nl - _start);
                _start = nl + 1;
                return line;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                throw new FluxException(Errno.EPROTO, $"PMI-1 wire protocol error: a request longer than {_buffer.Length} bytes");
            }
            var n = await stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(true);
            if (n == 0)
            {
                return null;
            }
            _end += n;
        }
    }
}
