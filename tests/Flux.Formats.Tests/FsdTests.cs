// Tests for RFC 23 Flux Standard Duration parsing and flux-core's formatting.
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class FsdTests
{
    public static TheoryData<string, double> Rfc23Table()
    {
        var data = new TheoryData<string, double>();
        foreach (var e in Vectors.Json("fsd.json")["rfc23_table"]!.AsArray())
        {
            var seconds = e!["seconds"]!;
            data.Add(e["input"]!.GetValue<string>(),
                seconds.GetValueKind() == System.Text.Json.JsonValueKind.String && seconds.GetValue<string>() == "inf"
                    ? double.PositiveInfinity
                    : seconds.GetValue<double>());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rfc23Table))]
    public void Parse_Rfc23Vector_GivesSeconds(string input, double seconds)
    {
        Assert.Equal(seconds, Fsd.Parse(input));
        Assert.True(Fsd.TryParse(input, out var d));
        Assert.Equal(seconds, d);
    }

    [Fact]
    public void Vectors_Rfc23_AreAllRead()
    {
        Assert.Equal(10, Rfc23Table().Count);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("0ms", 0.0)]
    [InlineData("500ms", 0.5)]
    [InlineData("0.2ms", 0.0002)]
    [InlineData("0.5", 0.5)]
    [InlineData("0.5m", 30.0)]
    [InlineData("0.5h", 1800.0)]
    [InlineData("1.0d", 86400.0)]
    [InlineData(".5s", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("Infinity", double.PositiveInfinity)]
    public void Parse_FluxCoreCases_GivesSeconds(string input, double seconds)
    {
        Assert.Equal(seconds, Fsd.Parse(input));
    }

    [Theory]
    [InlineData("-1.", "negative")]
    [InlineData("1.0f", "unknown unit 'f'")]
    [InlineData("1.0sec", "unknown unit 'sec'")]
    [InlineData("NaNs", "not a number")]
    [InlineData("infinites", "infinity takes no unit")]
    [InlineData("infd", "infinity takes no unit")]
    [InlineData("", "not a number")]
    [InlineData("5M", "unknown unit 'M'")]
    [InlineData(" 5", "not a number")]
    [InlineData("5 ", "unknown unit ' '")]
    public void Parse_Invalid_ThrowsEinval(string input, string fault)
    {
        var e = Assert.Throws<FluxException>(() => Fsd.Parse(input));
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.Contains(fault, e.Message, StringComparison.Ordinal);
        Assert.False(Fsd.TryParse(input, out _));
    }

    [Fact]
    public void Parse_Overflow_ThrowsErange()
    {
        Assert.Equal(Errno.ERANGE, Assert.Throws<FluxException>(() => Fsd.Parse("1e400")).Errnum);
        Assert.Equal(Errno.ERANGE, Assert.Throws<FluxException>(() => Fsd.Parse("1e307d")).Errnum);
    }

    [Theory]
    [InlineData(0.001, "1ms")]
    [InlineData(0.01, "10ms")]
    [InlineData(0.0, "0s")]
    [InlineData(5.0, "5s")]
    [InlineData(5.1, "5.1s")]
    [InlineData(62.0, "1.03333m")]
    [InlineData(3600.0, "1h")]
    [InlineData(4500.0, "1.25h")]
    [InlineData(86400.0, "1d")]
    [InlineData(103680.0, "1.2d")]
    [InlineData(0.1, "0.1s")]
    [InlineData(59.9999999, "60s")]
    [InlineData(1e-7, "0.0001ms")]
    [InlineData(1e-8, "1e-05ms")]
    [InlineData(8.64e10, "1e+06d")]
    [InlineData(double.PositiveInfinity, "infinity")]
    public void Format_MatchesFluxCore(double seconds, string expected)
    {
        Assert.Equal(expected, Fsd.Format(seconds));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Format_Invalid_ThrowsEinval(double seconds)
    {
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => Fsd.Format(seconds)).Errnum);
    }

    [Fact]
    public void ParseTimeSpan_ConvertsAndMapsInfinity()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), Fsd.ParseTimeSpan("1.5h"));
        Assert.Equal(Timeout.InfiniteTimeSpan, Fsd.ParseTimeSpan("inf"));
        Assert.Equal(Errno.ERANGE, Assert.Throws<FluxException>(() => Fsd.ParseTimeSpan("1e300")).Errnum);
        Assert.Equal("1.5h", Fsd.Format(TimeSpan.FromMinutes(90)));
        Assert.Equal("infinity", Fsd.Format(Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void FormatThenParse_RoundTripsWithinPrecision()
    {
        var random = new Random(23);
        for (var i = 0; i < 2000; i++)
        {
            var seconds = Math.Pow(10, (random.NextDouble() * 12) - 5);
            var back = Fsd.Parse(Fsd.Format(seconds));
            Assert.True(Math.Abs(back - seconds) <= seconds * 1e-5, $"{seconds} -> {Fsd.Format(seconds)} -> {back}");
        }
    }
}
