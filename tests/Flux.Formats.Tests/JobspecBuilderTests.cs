// Tests for JobspecBuilder: flux run/submit resource shapes, attribute and option handling, and errors.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class JobspecBuilderTests
{
    [Fact]
    public void Build_Default_IsOneSlotOneCore()
    {
        var js = new JobspecBuilder(["hostname"]).Build();
        Assert.Equal(
            """{"resources":[{"type":"slot","count":1,"with":[{"type":"core","count":1}],"label":"task"}],"tasks":[{"command":["hostname"],"slot":"task","count":{"per_slot":1}}],"attributes":{"system":{"duration":0}},"version":1}""",
            js.ToJsonString());
        JobspecV1.Validate(js);
    }

    [Fact]
    public void Build_TasksCoresGpus_ShapesSlot()
    {
        var js = new JobspecBuilder(["app", "-v"]).Tasks(4).CoresPerTask(2).GpusPerTask(1).Build();
        Assert.Equal(
            """[{"type":"slot","count":4,"with":[{"type":"core","count":2},{"type":"gpu","count":1}],"label":"task"}]""",
            js["resources"]!.ToJsonString());
        JobspecV1.Validate(js);
    }

    [Fact]
    public void Build_NodesWithoutTasks_IsExclusiveOnePerNode()
    {
        var js = new JobspecBuilder(["app"]).Nodes(2).Build();
        Assert.Equal(
            """[{"type":"node","count":2,"exclusive":true,"with":[{"type":"slot","count":1,"with":[{"type":"core","count":1}],"label":"task"}]}]""",
            js["resources"]!.ToJsonString());
        Assert.Equal("""{"per_slot":1}""", js["tasks"]![0]!["count"]!.ToJsonString());
        JobspecV1.Validate(js);
    }

    [Fact]
    public void Build_NodesEvenTasks_SlotsPerNode()
    {
        var js = new JobspecBuilder(["app"]).Nodes(2).Tasks(8).Build();
        Assert.Equal(
            """[{"type":"node","count":2,"with":[{"type":"slot","count":4,"with":[{"type":"core","count":1}],"label":"task"}]}]""",
            js["resources"]!.ToJsonString());
        Assert.Equal("""{"per_slot":1}""", js["tasks"]![0]!["count"]!.ToJsonString());
    }

    [Fact]
    public void Build_NodesUnevenTasks_UsesTotal()
    {
        var js = new JobspecBuilder(["app"]).Nodes(2).Tasks(5).Exclusive().Build();
        Assert.Equal(3, js["resources"]![0]!["with"]![0]!["count"]!.GetValue<int>());
        Assert.True(js["resources"]![0]!["exclusive"]!.GetValue<bool>());
        Assert.Equal("""{"total":5}""", js["tasks"]![0]!["count"]!.ToJsonString());
        JobspecV1.Validate(js);
    }

    [Fact]
    public void Build_SystemAttributes_AreSet()
    {
        var js = new JobspecBuilder(["app"])
            .Duration(3600)
            .Cwd("/home/flux")
            .Environment(new Dictionary<string, string> { ["HOME"] = "/home/flux" })
            .SetEnv("PATH", "/bin")
            .Name("myjob")
            .Queue("batch")
            .Build();
        var system = js["attributes"]!["system"]!;
        Assert.Equal(3600.0, system["duration"]!.GetValue<double>());
        Assert.Equal("/home/flux", system["cwd"]!.GetValue<string>());
        Assert.Equal("""{"HOME":"/home/flux","PATH":"/bin"}""", system["environment"]!.ToJsonString());
        Assert.Equal("myjob", system["job"]!["name"]!.GetValue<string>());
        Assert.Equal("batch", system["queue"]!.GetValue<string>());
        JobspecV1.Validate(js);
    }

    [Fact]
    public void SetAttr_KeyRulesAndValueParsing_MatchCli()
    {
        var js = new JobspecBuilder(["app"])
            .SetAttr("foo=bar")
            .SetAttr("system.n=42")
            .SetAttr("user.conf={\"a\":[1,2]}")
            .SetAttr(".user.x=true")
            .SetAttr("flag")
            .SetAttr("system.duration=60")
            .SetAttr("a.b.c=1.5")
            .Build();
        var attrs = js["attributes"]!;
        Assert.Equal("bar", attrs["system"]!["foo"]!.GetValue<string>());
        Assert.Equal(42, attrs["system"]!["n"]!.GetValue<int>());
        Assert.Equal("""{"a":[1,2]}""", attrs["user"]!["conf"]!.ToJsonString());
        Assert.True(attrs["user"]!["x"]!.GetValue<bool>());
        Assert.Equal(1, attrs["system"]!["flag"]!.GetValue<int>());
        Assert.Equal(60, attrs["system"]!["duration"]!.GetValue<int>());
        Assert.Equal(1.5, attrs["system"]!["a"]!["b"]!["c"]!.GetValue<double>());
        JobspecV1.Validate(js);
    }

    [Fact]
    public void SetOpt_BareKeyIsOneAndValuesParse()
    {
        var js = new JobspecBuilder(["app"])
            .SetOpt("verbose")
            .SetOpt("mpi=none")
            .SetOpt("cpu-affinity=\"per-task\"")
            .SetOpt("output.stdout.path=/tmp/x")
            .SetOpt("signal", JsonNode.Parse("""{"signum":10}"""))
            .Build();
        Assert.Equal(
            """{"verbose":1,"mpi":"none","cpu-affinity":"per-task","output":{"stdout":{"path":"/tmp/x"}},"signal":{"signum":10}}""",
            js["attributes"]!["system"]!["shell"]!["options"]!.ToJsonString());
        JobspecV1.Validate(js);
    }

    [Theory]
    [InlineData(0, null, 1, null, false, "task count must be an integer >= 1")]
    [InlineData(1, null, 0, null, false, "cores per task must be an integer >= 1")]
    [InlineData(1, null, 1, -1, false, "gpus per task must be an integer >= 0")]
    [InlineData(1, 0, 1, null, false, "node count must be an integer >= 1 (if set)")]
    [InlineData(2, 3, 1, null, false, "node count must not be greater than task count")]
    [InlineData(2, null, 1, null, true, "exclusive can only be set with a node count")]
    public void Build_InvalidCounts_ThrowEinval(int tasks, int? nodes, int cores, int? gpus, bool exclusive, string message)
    {
        var b = new JobspecBuilder(["app"]).Tasks(tasks).CoresPerTask(cores).Exclusive(exclusive);
        if (nodes is { } n)
        {
            b.Nodes(n);
        }
        if (gpus is { } g)
        {
            b.GpusPerTask(g);
        }
        var e = Assert.Throws<FluxException>(() => b.Build());
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Build_OtherErrors_ThrowEinval()
    {
        Assert.Equal("command must not be empty", Assert.Throws<FluxException>(() => new JobspecBuilder([]).Build()).Message);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => new JobspecBuilder(["a"]).Duration(-1).Build()).Errnum);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => new JobspecBuilder(["a"]).Duration(double.PositiveInfinity).Build()).Errnum);
        var e = Assert.Throws<FluxException>(() => new JobspecBuilder(["a"]).SetAttr("system.duration.x=1").Build());
        Assert.Contains("attributes.system.duration is not an object", e.Message, StringComparison.Ordinal);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => new JobspecBuilder(["a"]).SetAttr("=1")).Errnum);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => new JobspecBuilder(["a"]).SetOpt("a..b=1").Build()).Errnum);
    }

    [Fact]
    public void Build_RandomOptions_AlwaysValidV1()
    {
        var random = new Random(25);
        for (var i = 0; i < 500; i++)
        {
            var tasks = random.Next(1, 64);
            var b = new JobspecBuilder(["app"]).Tasks(tasks).CoresPerTask(random.Next(1, 8)).GpusPerTask(random.Next(0, 3));
            if (random.Next(2) == 0)
            {
                b.Nodes(random.Next(1, tasks + 1)).Exclusive(random.Next(2) == 0);
            }
            JobspecV1.Validate(b.Duration(random.Next(0, 3) * 60).Build());
        }
    }
}
