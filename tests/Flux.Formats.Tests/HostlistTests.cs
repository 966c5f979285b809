// Tests for the RFC 29 hostlist: vectors, flux-core's codec/find/delete/sort/uniq cases, and errors.
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class HostlistTests
{
    public static TheoryData<string, string[], int> Rfc29Vectors()
    {
        var data = new TheoryData<string, string[], int>();
        foreach (var e in Vectors.Json("hostlist.json")["rfc29"]!.AsArray())
        {
            data.Add(e!["input"]!.GetValue<string>(),
                [.. e["expanded"]!.AsArray().Select(h => h!.GetValue<string>())],
                e["count"]!.GetValue<int>());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rfc29Vectors))]
    public void Parse_Rfc29Vector_Expands(string input, string[] expanded, int count)
    {
        var hl = Hostlist.Parse(input);
        Assert.Equal(count, hl.Count);
        Assert.Equal(expanded, hl.Expand());
        Assert.Equal(expanded, hl);
        Assert.Equal(hl, Hostlist.Parse(hl.ToString()));
    }

    [Fact]
    public void Vectors_Rfc29_AreAllRead()
    {
        Assert.Equal(9, Rfc29Vectors().Count);
    }

    // flux-core src/common/libhostlist/test/hostlist.c codec_tests.
    [Theory]
    [InlineData("foo-1a-2,foo-1a-3", "foo-1a-[2-3]", 2)]
    [InlineData("foo1,foo2,foo3,fooi", "foo[1-3],fooi", 4)]
    [InlineData("foo1,fooi,foo2,foo3", "foo1,fooi,foo[2-3]", 4)]
    [InlineData("fooi,foo1,foo2,foo3", "fooi,foo[1-3]", 4)]
    [InlineData("fooi,foo1,foo2,foo3,foo5,foo7,foo8", "fooi,foo[1-3,5,7-8]", 7)]
    [InlineData("1,2,3,4,5,9", "[1-5,9]", 6)]
    [InlineData(",1,2,3,4,5,9", "[1-5,9]", 6)]
    [InlineData(",1,2,3,4,5,9,", "[1-5,9]", 6)]
    [InlineData("[1-5]", "[1-5]", 5)]
    [InlineData("foo[1,3]-bar", "foo1-bar,foo3-bar", 2)]
    [InlineData("[00-03]p", "00p,01p,02p,03p", 4)]
    [InlineData("p[00-3]p", "p00p,p01p,p02p,p03p", 4)]
    [InlineData("14636", "14636", 1)]
    [InlineData("foo12,foo[4,1-2]", "foo[12,4,1-2]", 4)]
    [InlineData("foo[12,4,1-2],bar[26-30]", "foo[12,4,1-2],bar[26-30]", 9)]
    [InlineData("foo9,foo10", "foo[9-10]", 2)]
    [InlineData("foo1 foo2\tfoo3", "foo[1-3]", 3)]
    [InlineData("mcr[336-359,488-550,553,556,559,561,567,569-571,573-575,578,581,584,587-589,592,594,597,600-602,605,608,610,618-622,627,634,636-670,687-696,699-733,735-742,744-760,762-773]",
        "mcr[336-359,488-550,553,556,559,561,567,569-571,573-575,578,581,584,587-589,592,594,597,600-602,605,608,610,618-622,627,634,636-670,687-696,699-733,735-742,744-760,762-773]", 237)]
    public void Encode_FluxCoreCodecCases_Match(string input, string output, int count)
    {
        var hl = Hostlist.Parse(input);
        Assert.Equal(count, hl.Count);
        Assert.Equal(output, hl.ToString());
    }

    [Theory]
    [InlineData("[]", "empty idlist")]
    [InlineData("foo[]", "empty idlist")]
    [InlineData("foo[", "unmatched '['")]
    [InlineData("foo[1,3", "unmatched '['")]
    [InlineData("foo[[1,3]", "nested '['")]
    [InlineData("foo]", "unmatched ']'")]
    [InlineData("foo[x-y]", "invalid range 'x-y'")]
    [InlineData("foo[0-1,2--5]", "invalid range '2--5'")]
    [InlineData("foo[-5]", "invalid range '-5'")]
    [InlineData("foo[5-2]", "descending")]
    [InlineData("foo[1,,2]", "empty element")]
    [InlineData("foo[1-2]bar[3]", "more than one bracketed idlist")]
    [InlineData("foo[1, 2]", "not printable ASCII")]
    [InlineData("héte", "not printable ASCII")]
    public void Parse_Invalid_ThrowsEinval(string input, string fault)
    {
        var e = Assert.Throws<FluxException>(() => Hostlist.Parse(input));
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.Contains(fault, e.Message, StringComparison.Ordinal);
        Assert.False(Hostlist.TryParse(input, out _));
    }

    [Theory]
    [InlineData("foo[0-1048576]")]
    [InlineData("foo[0-1048575]")]
    [InlineData("foo[99999999999999999999]")]
    public void Parse_HugeRange_ThrowsErange(string input)
    {
        Assert.Equal(Errno.ERANGE, Assert.Throws<FluxException>(() => Hostlist.Parse(input)).Errnum);
    }

    [Fact]
    public void Parse_JustBelowRangeLimit_Succeeds()
    {
        Assert.Equal(1 << 19, Hostlist.Parse("n[0-524287]").Count);
    }

    [Theory]
    [InlineData("foo[005,4,11-13]", "foo005,foo004,foo011,foo012,foo013")]
    [InlineData("foo[1,002]", "foo1,foo002")]
    [InlineData("foo[01,100]", "foo01,foo100")]
    public void Parse_FirstElementPadding_AppliesToUnpadded(string input, string expanded)
    {
        Assert.Equal(expanded.Split(','), Hostlist.Parse(input));
    }

    [Theory]
    [InlineData("foo01,foo2", "foo01,foo2")]
    [InlineData("foo1,foo01", "foo[1,01]")]
    [InlineData("foo05,foo7,foo010", "foo05,foo[7,010]")]
    public void Encode_MixedPadding_DecodesBackToSameHosts(string input, string encoded)
    {
        var hl = Hostlist.Parse(input);
        Assert.Equal(encoded, hl.ToString());
        Assert.Equal(input.Split(','), Hostlist.Parse(hl.ToString()));
    }

    [Fact]
    public void Indexer_ReturnsNth()
    {
        var hl = Hostlist.Parse("foo[1-2,4,5],bar");
        Assert.Equal("foo1", hl[0]);
        Assert.Equal("foo4", hl[2]);
        Assert.Equal("bar", hl[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => hl[5]);
        Assert.Throws<ArgumentOutOfRangeException>(() => hl[-1]);
    }

    // flux-core find_tests.
    [Theory]
    [InlineData("tst0", "tst", -1)]
    [InlineData("tst0,tst", "tst", 1)]
    [InlineData("tst,tst0", "tst", 0)]
    [InlineData("tst", "tst0", -1)]
    [InlineData("foo[1-5]-eth0", "foo3-eth0", 2)]
    [InlineData("foo[1-5]", "foo3-eth0", -1)]
    [InlineData("[0-5]", "3", 3)]
    [InlineData("[0-5]i", "0", -1)]
    [InlineData("i[0-5]", "i00", -1)]
    [InlineData("i[00-05]", "i00", 0)]
    [InlineData("i[00-05]", "i04", 4)]
    [InlineData("f00[7-8]", "f007", 0)]
    [InlineData("f00[7-8,10]", "f0010", 2)]
    [InlineData("f0010001[07-08]", "f001000108", 1)]
    [InlineData("cornp2", "corn", -1)]
    [InlineData("cornp2", "corn2", -1)]
    [InlineData("corn-p2", "corn2", -1)]
    [InlineData("corn1-p2", "corn2", -1)]
    public void IndexOf_FluxCoreFindCases_Match(string input, string host, int index)
    {
        var hl = Hostlist.Parse(input);
        Assert.Equal(index, hl.IndexOf(host));
        Assert.Equal(index >= 0, hl.Contains(host));
    }

    // flux-core delete_tests.
    [Theory]
    [InlineData("foo[2-5]", "foo6", 0, "foo[2-5]")]
    [InlineData("foo[2-5]", "foo3", 1, "foo[2,4-5]")]
    [InlineData("foo[2-5],fooi", "fooi", 1, "foo[2-5]")]
    [InlineData("foo[2-5],fooi", "foo3", 1, "foo[2,4-5],fooi")]
    [InlineData("foo[2-5],fooi", "foo[1-2]", 1, "foo[3-5],fooi")]
    [InlineData("foo[0-7]", "foo[1,0,2-7]", 8, "")]
    [InlineData("foo[2-4]-eth2", "foo3-eth2", 1, "foo2-eth2,foo4-eth2")]
    [InlineData("foo1,foo1,foo1", "foo1", 1, "foo[1,1]")]
    public void Delete_FluxCoreCases_Match(string input, string delete, int removed, string result)
    {
        var hl = Hostlist.Parse(input);
        var after = hl.Delete(delete);
        Assert.Equal(removed, hl.Count - after.Count);
        Assert.Equal(result, after.ToString());
        Assert.Equal(Hostlist.Parse(input), hl);
    }

    // flux-core sortuniq_tests.
    [Theory]
    [InlineData("foo,f,bar,baz", "bar,baz,f,foo", "bar,baz,f,foo")]
    [InlineData("[5-6],[3-4],[1-2,0]", "[0-6]", "[0-6]")]
    [InlineData("[0-20],12,15", "[0-12,12-15,15-20]", "[0-20]")]
    [InlineData("0,1,2,3,4,5,1,5", "[0-1,1-5,5]", "[0-5]")]
    [InlineData("[0-20],45,12,15", "[0-12,12-15,15-20,45]", "[0-20,45]")]
    [InlineData("[0-20],45,12,015", "[0-12,12-20,45,015]", "[0-20,45,015]")]
    [InlineData("bar1,bar2,foo1,foo,foo", "bar[1-2],foo,foo,foo1", "bar[1-2],foo,foo1")]
    [InlineData("foo[5-6],foo3,foo4", "foo[3-6]", "foo[3-6]")]
    [InlineData("foo[5-6],foo[4-7]", "foo[4-5,5-6,6-7]", "foo[4-7]")]
    [InlineData("foo[0-3],foo[0-3]", "foo[0,0-1,1-2,2-3,3]", "foo[0-3]")]
    [InlineData("foo[0-2],foo[0-2],foo[0-2]", "foo[0,0,0-1,1,1-2,2,2]", "foo[0-2]")]
    public void SortUniq_FluxCoreCases_Match(string input, string sorted, string uniq)
    {
        var hl = Hostlist.Parse(input);
        Assert.Equal(sorted, hl.Sort().ToString());
        Assert.Equal(uniq, hl.Uniq().ToString());
        Assert.Equal(Hostlist.Parse(input), hl);
    }

    [Fact]
    public void Sort_LeavesOriginalUnchanged()
    {
        var hl = Hostlist.Parse("b,a");
        _ = hl.Sort();
        Assert.Equal("b,a", hl.ToString());
    }

    [Theory]
    [InlineData("foo[1-5]", "foo[4-8]", "foo[1-8]", "foo[4-5]", "foo[1-3]", "foo[1-3,6-8]")]
    [InlineData("b,a,a", "c", "a,b,c", "", "a,b", "a,b,c")]
    [InlineData("", "x[1-2]", "x[1-2]", "", "", "x[1-2]")]
    public void SetOperations_AreSortedAndUnique(string a, string b, string union, string intersect, string minus, string xor)
    {
        Hostlist x = Hostlist.Parse(a), y = Hostlist.Parse(b);
        Assert.Equal(union, x.Union(y).ToString());
        Assert.Equal(intersect, x.Intersect(y).ToString());
        Assert.Equal(minus, x.Minus(y).ToString());
        Assert.Equal(xor, x.Xor(y).ToString());
    }

    [Fact]
    public void Constructor_FromNames_CompressesAndValidates()
    {
        Assert.Equal("node[1-3],login", new Hostlist(["node1", "node2", "node3", "login"]).ToString());
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => new Hostlist(["a,b"])).Errnum);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => new Hostlist([""])).Errnum);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => new Hostlist(["a b"])).Errnum);
    }

    [Fact]
    public void Append_ConcatenatesInOrder()
    {
        var hl = Hostlist.Parse("foo12").Append(Hostlist.Parse("foo[4,1-2]")).Append(Hostlist.Parse("bar[26-30]"));
        Assert.Equal("foo[12,4,1-2],bar[26-30]", hl.ToString());
        Assert.Equal(9, hl.Count);
    }

    [Fact]
    public void Equality_IsOrderedByName()
    {
        Assert.Equal(Hostlist.Parse("foo[1-3]"), Hostlist.Parse("foo1,foo2,foo3"));
        Assert.True(Hostlist.Parse("a,b") == Hostlist.Parse("a,b"));
        Assert.NotEqual(Hostlist.Parse("a,b"), Hostlist.Parse("b,a"));
        Assert.Equal(Hostlist.Parse("f00[7]").GetHashCode(), Hostlist.Parse("f007").GetHashCode());
        Assert.Same(Hostlist.Empty, Hostlist.Parse(""));
    }

    [Fact]
    public void LargeList_16384NodesWithGaps_RoundTrips()
    {
        var names = Enumerable.Range(0, 20_000).Where(i => i % 7 != 3).Take(16_384).Select(i => $"node{i}").ToList();
        var hl = new Hostlist(names);
        var text = hl.ToString();
        var back = Hostlist.Parse(text);
        Assert.Equal(16_384, back.Count);
        Assert.Equal(names, back.Expand());
        Assert.Equal("node8000", back[names.IndexOf("node8000")]);
        Assert.Equal(names.IndexOf("node8000"), back.IndexOf("node8000"));
    }
}
