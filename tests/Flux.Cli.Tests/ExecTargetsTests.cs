// flux exec's target ranks as flux-exec.c filter_ranks computes them, and its signal texts (strsignal).
using Flux.Abstractions;
using Flux.Cli.Commands;

namespace Flux.Cli.Tests;

public sealed class ExecTargetsTests
{
    [Theory]
    [InlineData(4u, "all", null, "[0-3]")]
    [InlineData(4u, "1-2", null, "[1-2]")]
    [InlineData(4u, "all", "0,3", "[1-2]")]
    [InlineData(4u, "0-2", "1,9", "[0,2]")]
    [InlineData(1u, "0", null, "0")]
    public void Targets_RanksAndExclude_AsFilterRanks(uint size, string include, string? exclude, string expected) =>
        Assert.Equal(expected, ExecCommand.Targets(size, include, exclude).ToString());

    [Theory]
    [InlineData(1u, "1", null, "One or more invalid --ranks specified: 1")]
    [InlineData(1u, "all", "0", "No targets specified")]
    [InlineData(1u, "x", null, "failed to decode idset 'x'")]
    [InlineData(1u, "all", "y", "error decoding --exclude idset")]
    public void Targets_Bad_RefusedAsFluxCore(uint size, string include, string? exclude, string message)
    {
        var ex = Assert.Throws<FluxException>(() => ExecCommand.Targets(size, include, exclude));
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData(2, "Interrupt")]
    [InlineData(9, "Killed")]
    [InlineData(15, "Terminated")]
    [InlineData(11, "Segmentation fault")]
    [InlineData(34, "Real-time signal 0")]
    public void Describe_Signal_IsStrsignalText(int signum, string text) =>
        Assert.Equal(text, ExecCommandSignals.Describe(signum));
}
