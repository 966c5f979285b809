// Seeded property tests: decode(encode(x)) == x for idsets, hostlists, FLUIDs and R, plus model checks.
using System.Text.Json.Nodes;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class RoundTripTests
{
    private const int Iterations = 400;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void IdSet_EncodeThenParse_IsIdentityAndMatchesModel(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Iterations; i++)
        {
            var (set, model) = RandomIdSet(random);
            Assert.Equal(model.Count, set.Count);
            Assert.Equal(model.Order(), set);
            foreach (var format in new[] { IdSetFormat.None, IdSetFormat.Range, IdSetFormat.Brackets, IdSetFormat.Range | IdSetFormat.Brackets })
            {
                Assert.Equal(set, IdSet.Parse(set.Encode(format)));
            }
            var (other, otherModel) = RandomIdSet(random);
            Assert.Equal(model.Union(otherModel).Order(), set.Union(other));
            Assert.Equal(model.Intersect(otherModel).Order(), set.Intersect(other));
            Assert.Equal(model.Except(otherModel).Order(), set.Subtract(other));
            var xor = new HashSet<uint>(model);
            xor.SymmetricExceptWith(otherModel);
            Assert.Equal(xor.Order(), set.Xor(other));
            var probe = (uint)random.Next(0, 300);
            Assert.Equal(model.Contains(probe), set.Contains(probe));
            var next = model.Where(x => x > probe).Order().Cast<uint?>().FirstOrDefault();
            Assert.Equal(next, set.Next(probe));
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Hostlist_EncodeThenParse_IsIdentity(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Iterations; i++)
        {
            var names = RandomHostNames(random);
            var hl = new Hostlist(names);
            Assert.Equal(names, hl.Expand());
            var text = hl.ToString();
            var back = Hostlist.Parse(text);
            Assert.True(names.SequenceEqual(back), $"{string.Join(",", names)} -> {text} -> {string.Join(",", back)}");
            Assert.Equal(hl, back);
            for (var k = 0; k < names.Count; k++)
            {
                Assert.Equal(names[k], back[k]);
                Assert.Equal(names.IndexOf(names[k]), back.IndexOf(names[k]));
            }
            var sorted = hl.Sort();
            Assert.Equal(names.Order(StringComparer.Ordinal), sorted.Expand().Order(StringComparer.Ordinal));
            Assert.Equal(sorted, Hostlist.Parse(sorted.ToString()));
            var uniq = hl.Uniq();
            Assert.Equal(names.Distinct().Order(StringComparer.Ordinal), uniq.Expand().Order(StringComparer.Ordinal));
            Assert.Equal(uniq, uniq.Uniq());
            Assert.Equal(uniq, Hostlist.Parse(uniq.ToString()));
            var other = new Hostlist(RandomHostNames(random));
            var theirs = other.ToHashSet();
            Assert.Equal(names.Where(theirs.Contains).Distinct().Order(StringComparer.Ordinal), hl.Intersect(other).Order(StringComparer.Ordinal));
            Assert.Equal(names.Where(n => !theirs.Contains(n)).Distinct().Order(StringComparer.Ordinal), hl.Minus(other).Order(StringComparer.Ordinal));
            Assert.Equal(names.Union(other).Distinct().Order(StringComparer.Ordinal), hl.Union(other).Order(StringComparer.Ordinal));
            if (names.Count > 0)
            {
                var victim = names[random.Next(names.Count)];
                var expected = new List<string>(names);
                expected.RemoveAt(expected.IndexOf(victim));
                Assert.Equal(expected, hl.Delete(victim).Expand());
            }
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Fluid_EveryEncoding_RoundTrips(int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[8];
        for (var i = 0; i < Iterations * 5; i++)
        {
            random.NextBytes(buffer);
            var id = BitConverter.ToUInt64(buffer) >> random.Next(0, 64);
            foreach (var encoding in Enum.GetValues<FluidEncoding>())
            {
                var text = Fluid.Encode(id, encoding);
                Assert.True(Fluid.Parse(text) == id, $"{id} as {encoding} = {text} decodes to {Fluid.Parse(text)}");
            }
        }
        foreach (var id in new[] { 0UL, 1UL, 57UL, 58UL, 575UL, 576UL, ulong.MaxValue, ulong.MaxValue - 1 })
        {
            foreach (var encoding in Enum.GetValues<FluidEncoding>())
            {
                Assert.Equal(id, Fluid.Parse(Fluid.Encode(id, encoding)));
            }
        }
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    public void Rv1_ToJsonThenParse_IsIdentity(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Iterations; i++)
        {
            var r = RandomR(random);
            var text = r.ToString();
            var back = Rv1.Parse(text);
            Assert.Equal(text, back.ToString());
            Assert.Equal(r.ToShortString(), back.ToShortString());
            Assert.Equal(r.CoreCount, back.CoreCount);
            Assert.Equal(r.Nodelist, back.Nodelist);
            var other = RandomR(random);
            var inBoth = r.Intersect(other);
            var onlyMine = r.Subtract(other);
            Assert.Equal(r.CoreCount, inBoth.CoreCount + onlyMine.CoreCount);
            Assert.Equal(r.GpuCount, inBoth.GpuCount + onlyMine.GpuCount);
            Assert.Equal(r.Subtract(Rv1.Empty).ToShortString(), onlyMine.Union(inBoth).ToShortString());
            Assert.Equal(0, r.Subtract(r).NodeCount);
        }
    }

    private static (IdSet Set, HashSet<uint> Model) RandomIdSet(Random random)
    {
        var model = new HashSet<uint>();
        var builder = new IdSetBuilder();
        var runs = random.Next(0, 8);
        for (var r = 0; r < runs; r++)
        {
            var first = (uint)random.Next(0, 250);
            var last = first + (uint)random.Next(0, 20);
            builder.AddRange(first, last);
            for (var id = first; id <= last; id++)
            {
                model.Add(id);
            }
        }
        if (random.Next(10) == 0)
        {
            builder.Add(IdSet.MaxId);
            model.Add(IdSet.MaxId);
        }
        return (builder.Build(), model);
    }

    private static readonly string[] Prefixes = ["node", "n", "", "rack1-n", "f00", "x-", "io"];
    private static readonly string[] Suffixes = ["", "", "", "-ib", "p", "-eth0"];

    private static List<string> RandomHostNames(Random random)
    {
        var names = new List<string>();
        var runs = random.Next(0, 6);
        for (var r = 0; r < runs; r++)
        {
            var prefix = Prefixes[random.Next(Prefixes.Length)];
            var suffix = Suffixes[random.Next(Suffixes.Length)];
            var width = random.Next(0, 4);
            var start = random.Next(0, 120);
            var count = random.Next(1, 12);
            for (var k = 0; k < count; k++)
            {
                var n = start + (random.Next(4) == 0 ? random.Next(0, 3) : k);
                names.Add(prefix + n.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0') + suffix);
            }
            if (random.Next(4) == 0)
            {
                names.Add(random.Next(2) == 0 ? "login" : "mgmt");
            }
        }
        names.RemoveAll(n => n.Length == 0);
        return names;
    }

    private static Rv1 RandomR(Random random)
    {
        var ranks = new List<JsonObject>();
        var rankCount = random.Next(1, 12);
        for (var rank = 0; rank < rankCount; rank++)
        {
            var children = new JsonObject { ["core"] = RandomIdSet(random).Set.Encode(IdSetFormat.Range) };
            if (random.Next(2) == 0)
            {
                children["gpu"] = IdSet.FromRange(0, (uint)random.Next(0, 4)).Encode(IdSetFormat.Range);
            }
            ranks.Add(new JsonObject { ["rank"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture), ["children"] = children });
        }
        var execution = new JsonObject
        {
            ["R_lite"] = new JsonArray([.. ranks]),
            ["starttime"] = random.Next(0, 2) * 1000.5,
            ["expiration"] = random.Next(0, 2) * 2000.25,
        };
        if (random.Next(2) == 0)
        {
            execution["nodelist"] = new JsonArray($"host[0-{rankCount - 1}]");
            execution["properties"] = new JsonObject { ["debug"] = "0", ["+local"] = IdSet.FromRange(0, (uint)rankCount - 1).Encode(IdSetFormat.Range) };
        }
        return Rv1.Parse(new JsonObject { ["version"] = 1, ["execution"] = execution });
    }
}
