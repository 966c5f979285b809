// --label-io labels lines, not chunks: a chunk of two lines, a line split over two chunks, ranks apart.
using System.Text;
using Flux.Cli.Jobs;

namespace Flux.Cli.Tests;

public sealed class LineLabelsTests
{
    private static string Apply(LineLabels l, string stream, string rank, string data) =>
        Encoding.UTF8.GetString(l.Apply(stream, rank, Encoding.UTF8.GetBytes(data)));

    [Fact]
    public void ChunkOfTwoLines_EachLineLabelled()
    {
        Assert.Equal("1: a\n1: b\n", Apply(new LineLabels(), "stdout", "1", "a\nb\n"));
    }

    [Fact]
    public void LineSplitOverChunks_LabelledOnce()
    {
        var l = new LineLabels();
        Assert.Equal("0: par", Apply(l, "stdout", "0", "par"));
        Assert.Equal("tial\n0: next", Apply(l, "stdout", "0", "tial\nnext"));
        Assert.Equal("\n", Apply(l, "stdout", "0", "\n"));
        Assert.Equal("0: again\n", Apply(l, "stdout", "0", "again\n"));
    }

    [Fact]
    public void StreamsAndRanks_TrackedApart()
    {
        var l = new LineLabels();
        Assert.Equal("0: half", Apply(l, "stdout", "0", "half"));
        Assert.Equal("1: other\n", Apply(l, "stdout", "1", "other\n"));
        Assert.Equal("0: err\n", Apply(l, "stderr", "0", "err\n"));
        Assert.Equal(" done\n", Apply(l, "stdout", "0", " done\n"));
        Assert.Empty(Apply(l, "stdout", "0", ""));
    }
}
