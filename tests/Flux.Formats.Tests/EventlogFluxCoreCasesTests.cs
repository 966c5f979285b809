// flux-core's own eventlog test data (src/common/libeventlog/test/eventlog.c): what it accepts and rejects, we do too.
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class EventlogFluxCoreCasesTests
{
    // goodevent[] in flux-core's src/common/libeventlog/test/eventlog.c.
    public static TheoryData<string> GoodEvents() =>
    [
        "{\"timestamp\":42.0,\"name\":\"foo\"}\n",
        "{\"timestamp\":42.0,\"name\":\"foo\",\"context\":{\"bar\":16}}\n",
    ];

    // badevent[]: every one fails eventlog_entry_decode and eventlog_decode with EINVAL.
    public static TheoryData<string> BadEvents() =>
    [
        "\n",
        "\n\n",
        "foo",
        "foo\n",
        "{\"timestamp\":42.0,\"name\":\"foo\"}", // no newline end
        "{\"timestamp\":42.0,\"name\":\"foo\",\"context\":{\"bar\":16}}", // no newline end
        "{\"timestamp\":42.0,\"name\":\"foo\"}\n\n", // double newline end
        "\n{\"timestamp\":42.0,\"name\":\"foo\"}", // prefix newline
        "{\"timestamp\":\"foo\",\"name\":\"foo\"}\n", // timestamp bad
        "{\"timestamp\":42.0,\"name\":18}\n", // name bad
        "{\"timestamp\":42.0}\n", // no name field
        "{\"name\":\"foo\"}\n", // no timestamp field
        "{\"timestamp\":42.0,\"name\":\"foo\",\"context\":\"bar\"}", // context not object
    ];

    // goodlog[]: the empty log and two-event logs.
    public static TheoryData<string> GoodLogs() =>
    [
        "",
        "{\"timestamp\":42.0,\"name\":\"foo\"}\n{\"timestamp\":42.0,\"name\":\"foo\"}\n",
        "{\"timestamp\":42.0,\"name\":\"foo\"}\n{\"timestamp\":42.0,\"name\":\"foo\",\"context\":{\"bar\":16}}\n",
    ];

    // badlog[]: events not separated by one newline.
    public static TheoryData<string> BadLogs() =>
    [
        "{\"timestamp\":42.0,\"name\":\"foo\"}{\"timestamp\":42.0,\"name\":\"foo\"}\n",
        "{\"timestamp\":42.0,\"name\":\"foo\"}\n\n{\"timestamp\":42.0,\"name\":\"foo\"}\n",
    ];

    [Theory]
    [MemberData(nameof(GoodEvents))]
    public void ParseEntry_FluxCoreGoodEvent_Decodes(string text)
    {
        var e = Eventlog.ParseEntry(text);
        Assert.Equal("foo", e.Name);
        Assert.Equal(42.0, e.Timestamp);
        // All good events are good logs too.
        Assert.Single(Eventlog.Parse(text));
    }

    [Theory]
    [MemberData(nameof(BadEvents))]
    public void ParseEntry_FluxCoreBadEvent_ThrowsEinval(string text)
    {
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => Eventlog.ParseEntry(text)).Errnum);
    }

    [Theory]
    [MemberData(nameof(BadEvents))]
    public void Parse_FluxCoreBadEventAsLog_ThrowsEinval(string text)
    {
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => Eventlog.Parse(text)).Errnum);
    }

    [Fact]
    public void ParseEntry_EmptyString_ThrowsEinval()
    {
        // flux-core: "special case - empty string is bad input" for eventlog_entry_decode.
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => Eventlog.ParseEntry("")).Errnum);
    }

    [Theory]
    [MemberData(nameof(GoodLogs))]
    public void Parse_FluxCoreGoodLog_Decodes(string text)
    {
        Assert.Equal(text.Length == 0 ? 0 : 2, Eventlog.Parse(text).Count);
    }

    [Theory]
    [MemberData(nameof(BadLogs))]
    public void Parse_FluxCoreBadLog_ThrowsEinval(string text)
    {
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => Eventlog.Parse(text)).Errnum);
    }

    [Fact]
    public void ParseEntry_ToLineOutput_Decodes()
    {
        // What Flux.NET writes (KVS eventlogs, eventlog-watch responses) ends with its newline.
        var line = new EventlogEntry(1.5, "a a", new System.Text.Json.Nodes.JsonObject { ["data"] = "foo\n" }).ToLine();
        var e = Eventlog.ParseEntry(line);
        Assert.Equal("a a", e.Name);
        Assert.Equal("foo\n", e.Context!["data"]!.GetValue<string>());
    }
}
