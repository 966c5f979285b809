// Tests for the RFC 22 idset: vectors, strict decoding, encoding flags, queries and set operations.
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class IdSetTests
{
    public static TheoryData<string, uint[]> Rfc22Examples()
    {
        var data = new TheoryData<string, uint[]>();
        foreach (var e in Vectors.Json("idset.json")["rfc22_examples"]!.AsArray())
        {
            data.Add(e!["input"]!.GetValue<string>(), [.. e["members"]!.AsArray().Select(m => m!.GetValue<uint>())]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rfc22Examples))]
    public void Parse_Rfc22Vector_HasMembers(string input, uint[] members)
    {
        var set = IdSet.Parse(input);
        Assert.Equal(members, set);
        Assert.Equal(members.Length, set.Count);
    }

    [Fact]
    public void Vectors_Rfc22_AreAllRead()
    {
        Assert.Equal(3, Rfc22Examples().Count);
    }

    [Theory]
    [InlineData("01,2", "leading zero")]
    [InlineData("3,2", "out of order")]
    [InlineData("2,2", "out of order")]
    [InlineData("1-3,3", "out of order")]
    [InlineData("3-0", "does not ascend")]
    [InlineData("3-3", "does not ascend")]
    [InlineData("-5", "error parsing range")]
    [InlineData("[0", "mismatched or nested brackets")]
    [InlineData("0]", "mismatched or nested brackets")]
    [InlineData("[[0]]", "mismatched or nested brackets")]
    [InlineData("0-", "error parsing range")]
    [InlineData("1,,2", "empty element at position 2")]
    [InlineData(",1", "empty element at position 0")]
    [InlineData("1,", "empty element")]
    [InlineData("a", "error parsing range")]
    [InlineData(" 1", "error parsing range")]
    [InlineData("1-2-3", "error parsing range")]
    [InlineData("+1", "error parsing range")]
    public void Parse_Invalid_ThrowsEinvalNamingFault(string input, string fault)
    {
        var e = Assert.Throws<FluxException>(() => IdSet.Parse(input));
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.Contains(fault, e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{input}'", e.Message, StringComparison.Ordinal);
        Assert.False(IdSet.TryParse(input, out _));
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("0-2147483648")]
    [InlineData("99999999999999999999")]
    public void Parse_BeyondUniverse_ThrowsErange(string input)
    {
        var e = Assert.Throws<FluxException>(() => IdSet.Parse(input));
        Assert.Equal(Errno.ERANGE, e.Errnum);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    public void Parse_EmptyForms_IsEmpty(string input)
    {
        var set = IdSet.Parse(input);
        Assert.True(set.IsEmpty);
        Assert.Equal(0, set.Count);
        Assert.Same(IdSet.Empty, set);
        Assert.Equal("", set.ToString());
    }

    [Fact]
    public void Parse_MaxId_IsAccepted()
    {
        var set = IdSet.Parse("2147483647");
        Assert.Equal(IdSet.MaxId, set.First());
        Assert.Equal(2147483648L, IdSet.Parse("0-2147483647").Count);
    }

    [Theory]
    [InlineData("1,2,3,5,6,42", IdSetFormat.None, "1,2,3,5,6,42")]
    [InlineData("1,2,3,5,6,42", IdSetFormat.Range, "1-3,5-6,42")]
    [InlineData("1,2,3,5,6,42", IdSetFormat.Range | IdSetFormat.Brackets, "[1-3,5-6,42]")]
    [InlineData("1,2,3,5,6,42", IdSetFormat.Brackets, "[1,2,3,5,6,42]")]
    [InlineData("5", IdSetFormat.Range | IdSetFormat.Brackets, "5")]
    [InlineData("5-6", IdSetFormat.Range | IdSetFormat.Brackets, "[5-6]")]
    [InlineData("", IdSetFormat.Range | IdSetFormat.Brackets, "")]
    public void Encode_Flags_MatchFluxCore(string input, IdSetFormat format, string expected)
    {
        Assert.Equal(expected, IdSet.Parse(input).Encode(format));
    }

    [Fact]
    public void ToString_IsRangeAndBrackets()
    {
        Assert.Equal("[0-3,5]", IdSet.Parse("0,1,2,3,5").ToString());
        Assert.Equal("5", new IdSet([5]).ToString());
    }

    [Fact]
    public void Constructor_UnorderedWithDuplicates_Normalises()
    {
        var set = new IdSet([5, 1, 3, 2, 2, 9, 4]);
        Assert.Equal("[1-5,9]", set.ToString());
        Assert.Equal(6, set.Count);
        Assert.Equal(2, set.RangeCount);
    }

    [Fact]
    public void Constructor_IdAboveMax_ThrowsErange()
    {
        var e = Assert.Throws<FluxException>(() => new IdSet([uint.MaxValue]));
        Assert.Equal(Errno.ERANGE, e.Errnum);
    }

    [Fact]
    public void Builder_DescendingRange_ThrowsEinval()
    {
        var e = Assert.Throws<FluxException>(() => new IdSetBuilder().AddRange(5, 3));
        Assert.Equal(Errno.EINVAL, e.Errnum);
    }

    [Fact]
    public void Builder_MixedOrder_MergesRanges()
    {
        var set = new IdSetBuilder().AddRange(10, 20).Add(3).AddRange(21, 22).AddRange(0, 2).Add(15).Build();
        Assert.Equal("[0-3,10-22]", set.ToString());
    }

    [Fact]
    public void Queries_FirstNextLastContains_Work()
    {
        var set = IdSet.Parse("[2-4,10,20-21]");
        Assert.Equal(2u, set.First());
        Assert.Equal(21u, set.Last());
        Assert.Equal(3u, set.Next(2));
        Assert.Equal(10u, set.Next(4));
        Assert.Equal(2u, set.Next(0));
        Assert.Equal(10u, set.Next(5));
        Assert.Equal(20u, set.Next(10));
        Assert.Null(set.Next(21));
        Assert.Null(set.Next(uint.MaxValue));
        Assert.True(set.Contains(10));
        Assert.False(set.Contains(11));
        Assert.False(set.Contains(1));
        Assert.Null(IdSet.Empty.First());
        Assert.Null(IdSet.Empty.Last());
        Assert.Null(IdSet.Empty.Next(0));
    }

    [Fact]
    public void Next_WalksEveryMember()
    {
        var set = IdSet.Parse("0,5-7,100");
        var walked = new List<uint>();
        for (var id = set.First(); id is { } i; id = set.Next(i))
        {
            walked.Add(i);
        }
        Assert.Equal(set, walked);
    }

    [Theory]
    [InlineData("1-5", "4-8", "[1-8]", "[4-5]", "[1-3]", "[1-3,6-8]")]
    [InlineData("1-3", "5-6", "[1-3,5-6]", "", "[1-3]", "[1-3,5-6]")]
    [InlineData("1-3", "4-6", "[1-6]", "", "[1-3]", "[1-6]")]
    [InlineData("", "1", "1", "", "", "1")]
    [InlineData("0-2147483647", "5", "[0-2147483647]", "5", "[0-4,6-2147483647]", "[0-4,6-2147483647]")]
    public void SetOperations_MatchDefinitions(string a, string b, string union, string intersect, string subtract, string xor)
    {
        IdSet x = IdSet.Parse(a), y = IdSet.Parse(b);
        Assert.Equal(union, x.Union(y).ToString());
        Assert.Equal(intersect, x.Intersect(y).ToString());
        Assert.Equal(subtract, x.Subtract(y).ToString());
        Assert.Equal(xor, x.Xor(y).ToString());
    }

    [Fact]
    public void Equality_ByMembers()
    {
        var a = IdSet.Parse("1-3");
        var b = new IdSet([3, 2, 1]);
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, IdSet.Parse("1-4"));
        Assert.False(a.Equals(null));
        Assert.True(a.IsSubsetOf(IdSet.Parse("0-5")));
        Assert.True(a.Overlaps(IdSet.Parse("3-9")));
    }

    [Fact]
    public void LargeSets_HundredThousandMembers_AreCompact()
    {
        var evens = new IdSet(Enumerable.Range(0, 100_000).Select(i => (uint)(i * 2)));
        Assert.Equal(100_000, evens.Count);
        var all = IdSet.FromRange(0, 199_999);
        Assert.Equal(1, all.RangeCount);
        Assert.Equal(100_000, all.Subtract(evens).Count);
        Assert.Equal(evens, IdSet.Parse(evens.ToString()));
    }
}
