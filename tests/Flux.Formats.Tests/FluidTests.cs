// Tests for RFC 19 FLUIDs: the vectors, every encoding, detection order, errors and the generator.
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class FluidTests
{
    private const ulong Example = 6731191091817518;

    [Fact]
    public void Vector_DecimalExample_HasEveryEncoding()
    {
        var e = Vectors.Json("fluid.json")["rfc19"]!["decimal_example"]!;
        var id = ulong.Parse(e["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Example, id);
        Assert.Equal(e["hex"]!.GetValue<string>(), Fluid.Encode(id, FluidEncoding.Hex));
        Assert.Equal(e["dothex"]!.GetValue<string>(), Fluid.Encode(id, FluidEncoding.Dothex));
        Assert.Equal("f" + e["f58"]!.GetValue<string>()[1..], Fluid.Encode(id, FluidEncoding.F58Plain));
        foreach (var key in new[] { "id", "f58", "hex", "dothex" })
        {
            Assert.Equal(id, Fluid.Parse(e[key]!.GetValue<string>()));
        }
    }

    [Fact]
    public void Vector_Alphabet_MatchesF58Alphabet()
    {
        Assert.Equal(Fluid.F58Alphabet, Vectors.Json("fluid.json")["alphabet_f58"]!.GetValue<string>());
    }

    [Fact]
    public void Vector_BitLayout_MatchesConstants()
    {
        var layout = Vectors.Json("fluid.json")["bit_layout"]!;
        Assert.Equal(Fluid.TimestampBits, layout["timestamp_bits"]!.GetValue<int>());
        Assert.Equal(Fluid.GeneratorIdBits, layout["generator_id_bits"]!.GetValue<int>());
        Assert.Equal(Fluid.SequenceBits, layout["sequence_bits"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("f58_examples")]
    [InlineData("hex_examples")]
    [InlineData("dothex_examples")]
    [InlineData("words_examples")]
    [InlineData("emoji_examples")]
    public void Vector_Examples_DecodeAndReencode(string key)
    {
        var encoding = key switch
        {
            "f58_examples" => FluidEncoding.F58Plain,
            "hex_examples" => FluidEncoding.Hex,
            "dothex_examples" => FluidEncoding.Dothex,
            "words_examples" => FluidEncoding.Words,
            _ => FluidEncoding.Emoji,
        };
        var examples = Vectors.Json("fluid.json")["rfc19"]![key]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
        Assert.NotEmpty(examples);
        foreach (var text in examples)
        {
            var id = Fluid.Parse(text);
            var expected = encoding == FluidEncoding.F58Plain ? "f" + text[1..] : text;
            Assert.Equal(expected, Fluid.Encode(id, encoding));
        }
    }

    [Fact]
    public void Vector_HexAndDothexExamples_AreTheSameIds()
    {
        var rfc19 = Vectors.Json("fluid.json")["rfc19"]!;
        var hex = rfc19["hex_examples"]!.AsArray().Select(x => Fluid.Parse(x!.GetValue<string>()));
        var dothex = rfc19["dothex_examples"]!.AsArray().Select(x => Fluid.Parse(x!.GetValue<string>()));
        Assert.Equal(hex, dothex);
        Assert.Equal(4181414752813056UL, Fluid.Parse("0xedaf97d000000"));
    }

    [Fact]
    public void Words_RfcExamples_AreTheRfcIds()
    {
        Assert.Equal(Example, Fluid.Parse("reform-remote-galileo--heart-package-academy"));
        Assert.Equal(4181414752813056UL, Fluid.Parse("random-idea-yoyo--sugar-printer-academy"));
        Assert.Equal("reform-remote-galileo--heart-package-academy", Fluid.Encode(Example, FluidEncoding.Words));
    }

    [Fact]
    public void F58_FluxJobIdExample_IsUZZybuNNy()
    {
        Assert.Equal("fuZZybuNNy", Fluid.Encode(Example, FluidEncoding.F58Plain));
        var f58 = Fluid.Encode(Example, FluidEncoding.F58);
        Assert.Equal(Fluid.UseAsciiF58 ? "fuZZybuNNy" : "ƒuZZybuNNy", f58);
        Assert.Equal(Example, Fluid.Parse("ƒuZZybuNNy"));
    }

    [Theory]
    [InlineData(0UL, FluidEncoding.Dec, "0")]
    [InlineData(0UL, FluidEncoding.Hex, "0x0")]
    [InlineData(0UL, FluidEncoding.Dothex, "0000.0000.0000.0000")]
    [InlineData(0UL, FluidEncoding.Kvs, "job.0000.0000.0000.0000")]
    [InlineData(0UL, FluidEncoding.F58Plain, "f1")]
    [InlineData(0UL, FluidEncoding.Emoji, "😃")]
    [InlineData(Example, FluidEncoding.Kvs, "job.0017.e9fb.8df1.6c2e")]
    [InlineData(ulong.MaxValue, FluidEncoding.Dec, "18446744073709551615")]
    [InlineData(ulong.MaxValue, FluidEncoding.Hex, "0xffffffffffffffff")]
    public void Encode_KnownValues(ulong id, FluidEncoding encoding, string expected)
    {
        Assert.Equal(expected, Fluid.Encode(id, encoding));
        Assert.Equal(id, Fluid.Parse(expected));
    }

    [Theory]
    [InlineData("  6731191091817518  ")]
    [InlineData("\t0x17e9fb8df16c2e\n")]
    [InlineData("0x17E9FB8DF16C2E")]
    [InlineData("job.0017.e9fb.8df1.6c2e")]
    [InlineData("17.e9fb.8df1.6c2e")]
    [InlineData("REFORM-remote-galileo--heart-package-ACADEMY")]
    [InlineData("reform remote galileo - heart package academy")]
    [InlineData(" ƒuZZybuNNy")]
    [InlineData("fuZZybuNNy")]
    public void Parse_AcceptedForms_GiveExample(string text)
    {
        Assert.Equal(Example, Fluid.Parse(text));
    }

    [Fact]
    public void Parse_DetectionOrder_FollowsFluxCore()
    {
        // "f" followed by a dot is dothex, not f58: the dot test comes first.
        Assert.Equal(0xffUL, Fluid.Parse("0.0.0.ff"));
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => Fluid.Parse("f.1")).Errnum);
        Assert.Equal(0UL, Fluid.Parse("f111"));
        Assert.Equal(0xabcdUL, Fluid.Parse("0.0.0.abcd"));
        Assert.Equal((0xaUL << 48) | (0xbUL << 32) | (0xcUL << 16) | 0xdUL, Fluid.Parse("a.b.c.d"));
    }

    [Theory]
    [InlineData("", "decimal")]
    [InlineData("   ", "decimal")]
    [InlineData("12a", "decimal")]
    [InlineData("-1", "words")]
    [InlineData("0x", "hex")]
    [InlineData("0xg", "hex")]
    [InlineData("0.0.0", "expected 4")]
    [InlineData("0.0.0.0.0", "expected 4")]
    [InlineData("0.0.0.10000", "1-4 hex digits")]
    [InlineData("0..0.0", "1-4 hex digits")]
    [InlineData("job.0.0.0", "expected 4")]
    [InlineData("f0", "base-58 digit")]
    [InlineData("fl", "base-58 digit")]
    [InlineData("f", "no digits")]
    [InlineData("f1111111111111", "more than 12")]
    [InlineData("reform-remote-galileo", "encode")]
    [InlineData("reform-remote-galileo--heart-package-academy-academy", "too many words")]
    [InlineData("reform-notaword", "not a mnemonicode word")]
    [InlineData("😃x", "emoji table")]
    [InlineData("😃🙂", "emoji table")]
    public void Parse_Invalid_ThrowsEinvalNamingForm(string text, string fault)
    {
        var e = Assert.Throws<FluxException>(() => Fluid.Parse(text));
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.Contains(fault, e.Message, StringComparison.Ordinal);
        Assert.False(Fluid.TryParse(text, out _));
    }

    [Theory]
    [InlineData("18446744073709551616")]
    [InlineData("0x10000000000000000")]
    [InlineData("fzzzzzzzzzzzz")]
    [InlineData("🔷🔷🔷🔷🔷🔷🔷")]
    public void Parse_Overflow_ThrowsErange(string text)
    {
        Assert.Equal(Errno.ERANGE, Assert.Throws<FluxException>(() => Fluid.Parse(text)).Errnum);
    }

    [Fact]
    public void Emoji_TableHas576DistinctDigits()
    {
        var seen = new HashSet<string>();
        for (ulong d = 0; d < 576; d++)
        {
            var e = Fluid.Encode(d, FluidEncoding.Emoji);
            Assert.Equal(2, e.Length);
            Assert.InRange(char.ConvertToUtf32(e[0], e[1]), 0x1F000, 0x1FFFF);
            Assert.True(seen.Add(e));
        }
        Assert.Equal(4, Fluid.Encode(576, FluidEncoding.Emoji).Length);
        Assert.Equal(14, Fluid.Encode(ulong.MaxValue, FluidEncoding.Emoji).Length);
    }

    [Theory]
    [InlineData(null, null, null, null, true)]
    [InlineData(null, null, null, "en_US.UTF-8", false)]
    [InlineData(null, null, null, "C.utf8", false)]
    [InlineData(null, null, null, "C", true)]
    [InlineData(null, "C", null, "en_US.UTF-8", true)]
    [InlineData(null, "", "en_US.UTF-8", "C", false)]
    [InlineData("1", null, null, "en_US.UTF-8", true)]
    [InlineData("", null, null, "en_US.UTF-8", true)]
    public void UseAsciiF58From_FollowsLocaleAndOverride(string? force, string? lcAll, string? lcCtype, string? lang, bool ascii)
    {
        var env = new Dictionary<string, string?>
        {
            ["FLUX_F58_FORCE_ASCII"] = force,
            ["LC_ALL"] = lcAll,
            ["LC_CTYPE"] = lcCtype,
            ["LANG"] = lang,
        };
        Assert.Equal(ascii, Fluid.UseAsciiF58From(name => env.GetValueOrDefault(name)));
    }

    [Fact]
    public void Fields_ComposeAndSplit()
    {
        var id = Fluid.Compose(12345, 7, 1023);
        Assert.Equal(12345UL, Fluid.Timestamp(id));
        Assert.Equal(7u, Fluid.GeneratorId(id));
        Assert.Equal(1023u, Fluid.Sequence(id));
        Assert.Equal(Errno.ERANGE, Assert.Throws<FluxException>(() => Fluid.Compose(1UL << 40, 0, 0)).Errnum);
        Assert.Equal(Errno.ERANGE, Assert.Throws<FluxException>(() => Fluid.Compose(0, 1 << 14, 0)).Errnum);
        Assert.Equal(Errno.ERANGE, Assert.Throws<FluxException>(() => Fluid.Compose(0, 0, 1024)).Errnum);
    }
}
