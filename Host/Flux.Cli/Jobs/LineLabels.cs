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
        var starts = _midLine.Contains(key) ? 0 : 1;
        for (var i = 0; i < data.Length - 1; i++)
        {
            if (data[i] == (byte)'\n')
            {
                starts++;
            }
        }
        var result = new byte[data.Length + (starts * label.Length)];
        var o = 0;
        var atStart = !_midLine.Contains(key);
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
