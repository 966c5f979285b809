// Task maps (RFC 34): block, cyclic and manual schemes, their encoding, and the tasks per node a job's R gives.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Shell.Tests;

public sealed class TaskMapTests
{
    [Fact]
    public void Block_TwoNodesTwoEach_EncodesAsOneBlock()
    {
        var map = TaskMap.Block([2, 2]);
        Assert.Equal("[[0,2,2,1]]", TaskMap.Encode(map).ToJsonString());
        Assert.Equal([2, 3], map.TaskIds(1));
    }

    [Theory]
    [InlineData(1, "[[0,2,1,2]]", "0,2")]
    [InlineData(2, "[[0,2,2,1]]", "0,1")]
    public void Cyclic_TwoNodes_HandsOutNAtATime(int n, string encoded, string node0)
    {
        var map = TaskMap.Cyclic([2, 2], n);
        Assert.Equal(encoded, TaskMap.Encode(map).ToJsonString());
        Assert.Equal(node0, string.Join(',', map.TaskIds(0)));
    }

    [Fact]
    public void Cyclic_UnevenNodes_SkipsAFullNode()
    {
        var map = TaskMap.Cyclic([1, 3], 1);
        Assert.Equal([0], map.TaskIds(0));
        Assert.Equal([1, 2, 3], map.TaskIds(1));
        Assert.Equal("[[0,1,1,1],[1,1,3,1]]", TaskMap.Encode(map).ToJsonString());
    }

    [Theory]
    [InlineData("[[1,1,2,1],[0,1,2,1]]")]
    [InlineData("""{"version":1,"map":[[1,1,2,1],[0,1,2,1]]}""")]
    public void Manual_SameCountsPerNode_IsUsedAsGiven(string value)
    {
        var map = TaskMap.ForJob([2, 2], new JsonObject { ["scheme"] = "manual", ["value"] = value });
        Assert.Equal([2, 3], map.TaskIds(0));
        Assert.Equal([0, 1], map.TaskIds(1));
        Assert.Equal(1, map.NodeOf(0));
    }

    [Theory]
    [InlineData("manual", "[[0,1,3,1],[1,1,1,1]]", "does not match the job's tasks per node")]
    [InlineData("manual", "[[0,1]]", "must be [nodeid>=0, nnodes>=1, ppn>=1, repeat>=1]")]
    [InlineData("manual", "nope", "is not an RFC 34 taskmap")]
    [InlineData("cyclic", "0", "taskmap.cyclic: invalid value '0'")]
    [InlineData("hostfile", "hosts", "unknown scheme 'hostfile'")]
    public void ForJob_BadOption_RefusedWithTheReason(string scheme, string value, string message)
    {
        var ex = Assert.Throws<FluxException>(() => TaskMap.ForJob([2, 2], new JsonObject { ["scheme"] = scheme, ["value"] = value }));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShellInfo_TwoNodesOfTwoCores_TwoTasksEach_CyclicOption()
    {
        var jobspec = new JobspecBuilder(["true"]).Tasks(4).SetOpt("taskmap", new JsonObject { ["scheme"] = "cyclic", ["value"] = "" }).Build();
        var r = Rv1.Encode(IdSet.Parse("0-1"), IdSet.Parse("0-1"), null, null).ToJson();
        var info = ShellInfo.Create(1, 1000, jobspec, r);
        Assert.Equal([2, 2], info.TaskCounts());
        Assert.Equal("[[0,2,1,2]]", info.TaskMap().ToJsonString());
    }

    [Fact]
    public void ShellInfo_OneNode_AllTasksThere()
    {
        var info = ShellInfo.Create(1, 1000, new JobspecBuilder(["true"]).Tasks(3).Build(), null);
        Assert.Equal([3], info.TaskCounts());
        Assert.Equal("[[0,1,3,1]]", info.TaskMap().ToJsonString());
    }

    [Theory]
    [InlineData("cyclic", "2", null)]
    [InlineData("manual", "[[0,1,1,1]]", null)]
    [InlineData("hostfile", "h", "taskmap.hostfile")]
    [InlineData("cyclic", "x", "taskmap")]
    public void ShellOptions_Taskmap_CheckedAsTheShellWould(string scheme, string value, string? refused)
    {
        var problem = ShellOptions.Unsupported(new JsonObject { ["taskmap"] = new JsonObject { ["scheme"] = scheme, ["value"] = value } });
        Assert.Equal(refused, problem?.Name);
    }
}
