// --label-io for flux run, flux job attach and flux exec: "RANK: " before every line, not every chunk.
using System.Text;

namespace Flux.Cli.Jobs;

/// <summary>
/// Prefixes each line of a task's output with its label ("RANK: "), as flux-core's attach and exec do. A chunk
/// may hold several lines, or end mid-line; the label goes before each line's first byte, and a line that goes
/// on in the next chunk of the same stream and rank is not labelled twice.
/// </summary>
internal sealed class LineLabels
{
    // (stream, rank) whose last chunk ended mid-line.
    private readonly HashSet<(string Stream, string Rank)> _midLine = [];

    /// <summary>Returns <paramref name="data"/> with the label before each line that starts in it.</summary>
    public byte[] Apply(string stream, string rank, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return [];
        }
        var label = Encoding.UTF8.GetBytes(rank + ": ");
        var key = (stream, rank);
        var atStart = !_midLine.Contains(key);
        // A label before the first byte (unless it goes on a line) and after each newline but the last byte.
        var starts = (atStart ? 1 : 0) + data[..^1].Count((byte)'\n');
        var result = new byte[data.Length + (starts * label.Length)];
        var o = 0;
        foreach (var b in data)
        {
            if (atStart)
            {
                label.CopyTo(result, o);
                o += label.Length;
            }
            result[o++] = b;
            atStart = b == (byte)'\n';
        }
        if (atStart)
        {
            _midLine.Remove(key);
        }
        else
        {
            _midLine.Add(key);
        }
        return result;
    }
}
