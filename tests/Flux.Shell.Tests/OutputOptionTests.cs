// output.batch-timeout and output.STREAM.label: read and checked as flux-core's shell does.
using System.Text.Json.Nodes;
using Flux.Formats;

namespace Flux.Shell.Tests;

public sealed class OutputOptionTests
{
    private static ShellInfo Info(JsonNode? batch)
    {
        var b = new JobspecBuilder(["true"]);
        if (batch is not null)
        {
            b.SetOpt("output", new JsonObject { ["batch-timeout"] = batch });
        }
        return ShellInfo.Create(1, 1000, b.Build(), null);
    }

    [Fact]
    public void BatchTimeout_Unset_IsFluxCoresHalfSecond() => Assert.Equal(0.5, OutputWriter.BatchTimeout(Info(null)));

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("0.05", 0.05)]
    [InlineData("\"2s\"", 2.0)]
    [InlineData("\"100ms\"", 0.1)]
    public void BatchTimeout_NumberOrFsd_InSeconds(string json, double seconds) =>
        Assert.Equal(seconds, OutputWriter.BatchTimeout(Info(JsonNode.Parse(json))), 6);

    [Theory]
    [InlineData("""{"batch-timeout":0.05}""", null)]
    [InlineData("""{"batch-timeout":"1s"}""", null)]
    [InlineData("""{"batch-timeout":"soon"}""", "output.batch-timeout")]
    [InlineData("""{"batch-timeout":-1}""", "output.batch-timeout")]
    [InlineData("""{"stdout":{"type":"file","path":"x","label":true},"stderr":{"label":false}}""", null)]
    [InlineData("""{"stdout":{"label":"yes"}}""", "output.stdout.label")]
    public void ShellOptions_OutputOptions_CheckedByName(string output, string? refused) =>
        Assert.Equal(refused, ShellOptions.Unsupported(new JsonObject { ["output"] = JsonNode.Parse(output) })?.Name);
}
