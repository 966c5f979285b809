// PMI_process_mapping from RFC 34 task maps, as MPICH reads it (RFC 13).
using System.Text.Json.Nodes;
using Flux.ShellPlugins.Pmi;

namespace Flux.Pmi.Tests;

public sealed class PmiProcessMappingTests
{
    [Theory]
    [InlineData("[[0,1,4,1]]", "(vector,(0,1,4))")]
    [InlineData("[[0,4,2,1]]", "(vector,(0,4,2))")]
    [InlineData("[[0,2,2,1],[2,1,1,1]]", "(vector,(0,2,2),(2,1,1))")]
    [InlineData("[[0,4,1,2]]", "(vector,(0,4,1),(0,4,1))")]
    public void Encode_TaskMap_VectorOfBlocks(string taskmap, string expected)
    {
        Assert.Equal(expected, PmiProcessMapping.Encode((JsonArray)JsonNode.Parse(taskmap)!));
    }

    [Theory]
    [InlineData("[[0,1,4]]")]
    [InlineData("[[0,1,-4,1]]")]
    [InlineData("[\"block\"]")]
    public void Encode_NotATaskMap_FormatException(string taskmap)
    {
        Assert.Throws<FormatException>(() => PmiProcessMapping.Encode((JsonArray)JsonNode.Parse(taskmap)!));
    }
}
