// Tests for RFC 20 R version 1: the RFC example, parsing errors, summaries, set operations and config.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class Rv1Tests
{
    [Fact]
    public void Parse_Rfc20Example_HasResources()
    {
        var r = Rv1.Parse(Vectors.Json("R/rfc20-example1.json"));
        Assert.Equal(4, r.NodeCount);
        Assert.Equal(4 * 48, r.CoreCount);
        Assert.Equal(4 * 8, r.GpuCount);
        Assert.Equal("[19-22]", r.Ranks.ToString());
        Assert.Equal("node[186-189]", r.Nodelist.ToString());
        Assert.Equal("node187", r.Find(20)!.Hostname);
        Assert.Equal(32, r.NSlots);
        Assert.Equal(1676560542, r.StartTime);
        Assert.Equal(1676562342, r.Expiration);
        Assert.Equal("rank[19-22]/core[0-47],gpu[0-7]", r.ToShortString());
        var entry = Assert.Single(r.RLite);
        Assert.Equal("[0-47]", entry.Cores.ToString());
    }

    [Fact]
    public void ParseRLite_ReadsEachEntry_AndRefusesAsParseDoes()
    {
        var r = JsonNode.Parse("""{"version":1,"execution":{"R_lite":[{"rank":"0-1","children":{"core":"0-3","gpu":"0"}},{"rank":"2","children":{"core":"1"}}],"nodelist":["a","b","c"]}}""")!;
        var entries = Rv1.ParseRLite(r);
        Assert.Equal(2, entries.Count);
        Assert.Equal((IdSet.Parse("0-1"), IdSet.Parse("0-3"), IdSet.Parse("0")), (entries[0].Ranks, entries[0].Cores, entries[0].Gpus));
        Assert.Equal((IdSet.Parse("2"), IdSet.Parse("1"), IdSet.Empty), (entries[1].Ranks, entries[1].Cores, entries[1].Gpus));
        var bad = JsonNode.Parse("""{"version":1,"execution":{"R_lite":[{"rank":"0","children":{"core":"3-1"}}]}}""")!;
        var fromRLite = Assert.Throws<FluxException>(() => Rv1.ParseRLite(bad));
        var fromParse = Assert.Throws<FluxException>(() => Rv1.Parse(bad));
        Assert.Equal((Errno.EINVAL, fromParse.Message), (fromRLite.Errnum, fromRLite.Message));
        Assert.Contains("execution.R_lite[0].children.core", fromRLite.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_Rfc20Example_RoundTrips()
    {
        var original = Vectors.Json("R/rfc20-example1.json");
        var json = Rv1.Parse(original).ToJson();
        Assert.True(JsonNode.DeepEquals(original, JsonNode.Parse(json.ToJsonString())), json.ToJsonString());
    }

    [Fact]
    public void ToShortString_GroupsIdenticalRanks()
    {
        var r = Rv1.Parse("""
            {"version":1,"execution":{"R_lite":[
              {"rank":"0","children":{"core":"0-1","gpu":"0"}},
              {"rank":"1","children":{"core":"0"}},
              {"rank":"2","children":{"core":"0-1","gpu":"0"}}]}}
            """);
        Assert.Equal("rank[0,2]/core[0-1],gpu0 rank1/core0", r.ToShortString());
        Assert.Equal(2, r.RLite.Count);
        Assert.Equal("[0,2]", r.RLite[0].Ranks.ToString());
        Assert.Equal("rank[0-3]/core[0-7]", Rv1.Encode(IdSet.Parse("0-3"), IdSet.Parse("0-7"), null, null).ToShortString());
        Assert.Equal("", Rv1.Empty.ToShortString());
    }

    [Fact]
    public void Parse_SameRankTwice_Merges()
    {
        var r = Rv1.Parse("""
            {"version":1,"execution":{"R_lite":[
              {"rank":"0-1","children":{"core":"0-3"}},
              {"rank":"1","children":{"core":"4-7","gpu":"0"}}]}}
            """);
        Assert.Equal("rank0/core[0-3] rank1/core[0-7],gpu0", r.ToShortString());
    }

    [Fact]
    public void Parse_Properties_AssignedAndWrittenBack()
    {
        var r = Rv1.Parse("""
            {"version":1,"execution":{"R_lite":[{"rank":"0-3","children":{"core":"0"}}],
             "nodelist":["n[0-1]","n[2-3]"],
             "properties":{"debug":"0-1","+local":"3","@sched":"2"}}}
            """);
        Assert.Equal("[0-1]", r.Properties["debug"].ToString());
        Assert.Equal(["debug"], r.Find(0)!.Properties);
        Assert.Equal("n[0-3]", r.Nodelist.ToString());
        var execution = r.ToJson()["execution"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"+local":"3","@sched":"2","debug":"0-1"}"""), execution["properties"]));
        Assert.Contains("\"+local\":\"3\"", r.ToString(), StringComparison.Ordinal);
        Assert.Equal("""["n[0-3]"]""", execution["nodelist"]!.ToJsonString());
    }

    [Theory]
    [InlineData("[]", "R: must be an object")]
    [InlineData("""{"version":2,"execution":{"R_lite":[]}}""", "R: version: must be 1")]
    [InlineData("""{"execution":{"R_lite":[]}}""", "R: version: must be 1")]
    [InlineData("""{"version":1}""", "R: execution: required")]
    [InlineData("""{"version":1,"execution":{}}""", "R: execution.R_lite: required")]
    [InlineData("""{"version":1,"execution":{"R_lite":[1]}}""", "R: execution.R_lite[0]: must be an object")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":"x","children":{}}]}}""", "R: execution.R_lite[0].rank: invalid idset 'x'")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":0,"children":{}}]}}""", "R: execution.R_lite[0].rank: must be an idset string")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":"0"}]}}""", "R: execution.R_lite[0].children: must be an object")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":"0","children":{"core":"3-1"}}]}}""", "R: execution.R_lite[0].children.core: must be an idset string")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":"0","children":{"memory":"0"}}]}}""", "R: execution.R_lite[0].children.memory: unsupported resource")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":"0","children":{"core":"0-1"}},{"rank":"0","children":{"core":"1"}}]}}""", "R: execution.R_lite[1]: rank 0: cores 1")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":"0-1","children":{"core":"0"}}],"nodelist":["a"]}}""", "R: execution.nodelist: has 1 hosts but R_lite has 2 ranks")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":"0","children":{"core":"0"}}],"nodelist":"a"}}""", "R: execution.nodelist: must be an array")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":"0","children":{"core":"0"}}],"nodelist":["a["]}}""", "R: execution.nodelist[0]: hostlist 'a['")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":"0","children":{"core":"0"}}],"properties":{"a|b":"0"}}}""", "R: execution.properties.a|b: invalid character '|'")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":"0","children":{"core":"0"}}],"properties":{"x":"0-2"}}}""", "R: execution.properties.x: ranks 1-2 not found")]
    [InlineData("""{"version":1,"execution":{"R_lite":[{"rank":"0","children":{"core":"0"}}],"properties":{"x":5}}}""", "R: execution.properties.x: must be an idset string")]
    [InlineData("""{"version":1,"execution":{"R_lite":[],"starttime":"x"}}""", "R: execution.starttime: must be a non-negative number")]
    [InlineData("""{"version":1,"execution":{"R_lite":[],"nslots":-1}}""", "R: execution.nslots: must be a non-negative integer")]
    [InlineData("""{"version":1,"execution":{"R_lite":[],"starttime":10,"expiration":10}}""", "R: execution.expiration: must be greater than starttime")]
    [InlineData("not json", "R: invalid JSON")]
    public void Parse_Invalid_ThrowsEinvalNamingKey(string json, string expected)
    {
        var e = Assert.Throws<FluxException>(() => Rv1.Parse(json));
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("!")]
    [InlineData("&")]
    [InlineData("'")]
    [InlineData("\"")]
    [InlineData("^")]
    [InlineData("`")]
    [InlineData("|")]
    [InlineData("(")]
    [InlineData(")")]
    public void FromConfig_PropertyWithReservedCharacter_Throws(string c)
    {
        var e = Assert.Throws<FluxException>(() => Rv1.FromConfig([new("n0", "0", null, ["ok", "bad" + c])]));
        Assert.StartsWith("resource.config[0]: invalid property", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_AssignsRanksInHostOrderAndMerges()
    {
        var r = Rv1.FromConfig([
            new("node[0-3]", "0-7"),
            new("node[2-3]", null, "0-1", ["gpu"]),
            new("login", "0-1", null, ["+local", "login"]),
        ]);
        Assert.Equal("rank[0-1]/core[0-7] rank[2-3]/core[0-7],gpu[0-1] rank4/core[0-1]", r.ToShortString());
        Assert.Equal("node[0-3],login", r.Nodelist.ToString());
        Assert.Equal("[2-3]", r.Properties["gpu"].ToString());
        Assert.Equal("4", r.Properties["login"].ToString());
        Assert.Equal("4", r.Properties["+local"].ToString());
        Assert.Equal("[2-3]", r.RanksOf(Hostlist.Parse("node[2-3]")).ToString());
    }

    [Theory]
    [InlineData("x[", "0", null, "resource.config[1]: invalid hostlist 'x['")]
    [InlineData("", "0", null, "resource.config[1]: empty hostlist specified")]
    [InlineData("b", "0-", null, "resource.config[1]: invalid idset cores='0-'")]
    [InlineData("b", "0", "x", "resource.config[1]: invalid idset gpus='x'")]
    [InlineData("a", "0", null, "resource.config[1]: host a: cores 0")]
    public void FromConfig_BadSecondEntry_NamesIndex(string hosts, string? cores, string? gpus, string expected)
    {
        var e = Assert.Throws<FluxException>(() => Rv1.FromConfig([new("a", "0-3"), new(hosts, cores, gpus)]));
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_EmptyOrResourceless_Throws()
    {
        Assert.Equal("resource.config: no hosts configured", Assert.Throws<FluxException>(() => Rv1.FromConfig([])).Message);
        Assert.Equal("resource.config: b[1-2] assigned no resources",
            Assert.Throws<FluxException>(() => Rv1.FromConfig([new("a", "0"), new("b[1-2]")])).Message);
    }

    [Fact]
    public void Encode_LikeFluxREncode()
    {
        var r = Rv1.Encode(IdSet.Parse("0-3"), IdSet.Parse("0-1"), IdSet.Parse("0"), Hostlist.Parse("foo[0-3]"));
        Assert.Equal(
            """{"version":1,"execution":{"R_lite":[{"rank":"0-3","children":{"core":"0-1","gpu":"0"}}],"starttime":0,"expiration":0,"nodelist":["foo[0-3]"]}}""",
            r.ToString());
        var e = Assert.Throws<FluxException>(() => Rv1.Encode(IdSet.Parse("0-3"), IdSet.Parse("0"), null, Hostlist.Parse("foo[0-2]")));
        Assert.Equal(Errno.EINVAL, e.Errnum);
    }

    [Fact]
    public void SetOperations_WorkRankByRank()
    {
        var all = Rv1.Encode(IdSet.Parse("0-3"), IdSet.Parse("0-3"), IdSet.Parse("0-1"), Hostlist.Parse("n[0-3]")).WithTimes(10, 20);
        var job = Rv1.Parse("""{"version":1,"execution":{"R_lite":[{"rank":"1","children":{"core":"0-3","gpu":"0-1"}},{"rank":"2","children":{"core":"0-1"}}],"nodelist":["n[1-2]"]}}""");
        var free = all.Subtract(job);
        Assert.Equal("rank[0,3]/core[0-3],gpu[0-1] rank2/core[2-3],gpu[0-1]", free.ToShortString());
        Assert.Equal(3, free.NodeCount);
        Assert.Equal("n[0,2-3]", free.Nodelist.ToString());
        Assert.Equal(20, free.Expiration);
        var back = free.Union(job);
        Assert.Equal(all.ToShortString(), back.ToShortString());
        Assert.Equal("n[0-3]", back.Nodelist.ToString());
        Assert.Equal("rank1/core[0-3],gpu[0-1] rank2/core[0-1]", all.Intersect(job).ToShortString());
        Assert.Equal("", free.Intersect(job).ToShortString());
        Assert.Equal("rank[0,3]/core[0-3],gpu[0-1]", all.CopyRanks(IdSet.Parse("0,3,7")).ToShortString());
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => all.RanksOf(Hostlist.Parse("n9"))).Errnum);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => all.WithTimes(20, 10)).Errnum);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => all.WithTimes(-1, 0)).Errnum);
    }

    [Fact]
    public void Scheduling_IsOpaqueAndCopied()
    {
        var r = Rv1.Parse("""{"version":1,"execution":{"R_lite":[{"rank":"0","children":{"core":"0"}}]},"scheduling":{"graph":{"nodes":[],"edges":[]}}}""");
        r.Scheduling!["graph"] = null;
        Assert.Equal("""{"graph":{"nodes":[],"edges":[]}}""", r.Scheduling!.ToJsonString());
        Assert.Equal(r.Scheduling!.ToJsonString(), r.Subtract(Rv1.Empty).ToJson()["scheduling"]!.ToJsonString());
    }

    [Fact]
    public void Parse_EmptyRank_IsKeptForNodelist()
    {
        var json = """{"version":1,"execution":{"R_lite":[{"rank":"0","children":{"core":"0"}},{"rank":"1","children":{"core":""}}],"starttime":0,"expiration":0,"nodelist":["a,b"]}}""";
        var r = Rv1.Parse(json);
        Assert.Equal(2, r.NodeCount);
        Assert.Equal("rank0/core0", r.ToShortString());
        Assert.Equal(json, r.ToString());
    }
}
