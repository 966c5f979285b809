// Tests for RFC 18 eventlogs: the RFC 18/21/24/50 example events, line encoding and every decode error.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class EventlogTests
{
    public static TheoryData<string, string> ExampleEvents()
    {
        var data = new TheoryData<string, string>();
        var doc = Vectors.Json("eventlog.json");
        foreach (var section in new[] { "spec_21_examples", "spec_24_examples", "spec_50_examples" })
        {
            foreach (var e in doc[section]!.AsArray())
            {
                if (e!["event"] is JsonObject ev)
                {
                    data.Add(section, ev.ToJsonString());
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleEvents))]
    public void ParseEntry_RfcExampleEvent_RoundTrips(string section, string json)
    {
        Assert.NotEmpty(section);
        var original = JsonNode.Parse(json)!.AsObject();
        var entry = Eventlog.ParseEntry(json + "\n");
        Assert.Equal(original["name"]!.GetValue<string>(), entry.Name);
        Assert.Equal(original["timestamp"]!.GetValue<double>(), entry.Timestamp);
        Assert.Equal(original["context"]?.ToJsonString(), entry.Context?.ToJsonString());
        var line = entry.ToLine();
        Assert.EndsWith("}\n", line, StringComparison.Ordinal);
        Assert.Single(Eventlog.Parse(line));
        Assert.True(JsonNode.DeepEquals(original, JsonNode.Parse(line)));
    }

    [Fact]
    public void Vectors_ExampleEvents_AreAllRead()
    {
        Assert.Equal(26 + 1 + 8, ExampleEvents().Count);
    }

    [Fact]
    public void Parse_Rfc18Example_FailsOnItsUnquotedKeyLine()
    {
        var lines = Vectors.Json("eventlog.json")["rfc18_example_raw"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        var e = Assert.Throws<FluxException>(() => Eventlog.Parse(string.Concat(lines.Select(l => l + "\n"))));
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.StartsWith("line 3: invalid JSON", e.Message, StringComparison.Ordinal);
        // With the RFC's typo fixed, the log decodes; RFC 18 does not require ordered timestamps.
        lines[2] = lines[2].Replace("context:", "\"context\":", StringComparison.Ordinal);
        var log = Eventlog.Parse(string.Concat(lines.Select(l => l + "\n")));
        Assert.Equal(["submit", "urgency", "alloc", "free", "start", "release", "finish", "clean"], log.Select(x => x.Name));
        Assert.Equal("rank0/core[0-1]", log[2].Context!["note"]!.GetValue<string>());
        Assert.Equal(1552593348.073045, log[0].Timestamp);
    }

    [Fact]
    public void Parse_RawRfc24Examples_AreNotStrictJson()
    {
        foreach (var e in Vectors.Json("eventlog.json")["spec_24_examples"]!.AsArray().Where(e => e!["raw"] is not null))
        {
            Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => Eventlog.ParseEntry(e!["raw"]!.GetValue<string>())).Errnum);
        }
    }

    [Fact]
    public void Parse_Empty_IsEmptyLog()
    {
        Assert.Empty(Eventlog.Parse(""));
    }

    [Theory]
    [InlineData("{\"timestamp\":1,\"name\":\"a\"}", "line 1: missing final newline")]
    [InlineData("{\"timestamp\":1,\"name\":\"a\"}\n{\"timestamp\":2,\"name\":\"b\"}", "line 2: missing final newline")]
    [InlineData("\n{\"timestamp\":1,\"name\":\"a\"}\n", "line 1: empty line")]
    [InlineData("{\"timestamp\":1,\"name\":\"a\"}\n\n", "line 2: empty line")]
    [InlineData("{\"timestamp\":1,\"name\":\"a\"}\n\n{\"timestamp\":2,\"name\":\"b\"}\n", "line 2: empty line")]
    [InlineData("{\"timestamp\":1,\"name\":\"a\"}\n{\"timestamp\":2,\"name\":\"b\"}\n{\"timestamp\":3,\"name\":\"c\",\"context\":[]}\n", "line 3: context must be an object")]
    [InlineData("{\"timestamp\":1,\"name\":\"a\",\"context\":null}\n", "line 1: context must be an object")]
    [InlineData("{\"timestamp\":1,\"name\":\"a\",\"context\":\"x\"}\n", "line 1: context must be an object")]
    [InlineData("{\"name\":\"a\"}\n", "line 1: timestamp is required")]
    [InlineData("{\"timestamp\":\"1\",\"name\":\"a\"}\n", "line 1: timestamp must be a number")]
    [InlineData("{\"timestamp\":0,\"name\":\"a\"}\n", "line 1: timestamp must be greater than zero")]
    [InlineData("{\"timestamp\":-1.5,\"name\":\"a\"}\n", "line 1: timestamp must be greater than zero")]
    [InlineData("{\"timestamp\":1}\n", "line 1: name is required")]
    [InlineData("{\"timestamp\":1,\"name\":5}\n", "line 1: name must be a string")]
    [InlineData("[1,2]\n", "line 1: event must be a JSON object")]
    [InlineData("{\"timestamp\":1,\n\"name\":\"a\"}\n", "line 1: invalid JSON")]
    [InlineData("not json\n", "line 1: invalid JSON")]
    public void Parse_Invalid_ThrowsEinvalWithLine(string text, string expected)
    {
        var e = Assert.Throws<FluxException>(() => Eventlog.Parse(text));
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseEntry_EmbeddedNewline_IsRejected()
    {
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => Eventlog.ParseEntry("{\"timestamp\":1,\n\"name\":\"a\"}")).Errnum);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => Eventlog.ParseEntry("")).Errnum);
        Assert.Equal("a", Eventlog.ParseEntry("{\"timestamp\":1,\"name\":\"a\"}\n").Name);
    }

    [Fact]
    public void ToLine_KeyOrderAndCompactJson()
    {
        var entry = new EventlogEntry(1552593348.073045, "submit", new JsonObject { ["urgency"] = 16, ["note"] = "a\nb é" });
        Assert.Equal("{\"timestamp\":1552593348.073045,\"name\":\"submit\",\"context\":{\"urgency\":16,\"note\":\"a\\nb é\"}}\n", entry.ToLine());
        Assert.Equal("{\"timestamp\":2.5,\"name\":\"clean\"}\n", new EventlogEntry(2.5, "clean", null).ToLine());
    }

    [Fact]
    public void ToUtf8Line_IsToLineInUtf8_OnEveryCall()
    {
        var entry = new EventlogEntry(1552593348.073045, "submit", new JsonObject { ["urgency"] = 16, ["note"] = "é" });
        var first = entry.ToUtf8Line();
        var second = entry.ToUtf8Line();
        Assert.NotSame(first, second);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(entry.ToLine()), first);
        Assert.Equal(first, second);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => new EventlogEntry(-1, "x", null).ToUtf8Line()).Errnum);
    }

    [Fact]
    public void ToLine_BadTimestamp_Throws()
    {
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => new EventlogEntry(0, "x", null).ToLine()).Errnum);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => new EventlogEntry(double.NaN, "x", null).ToLine()).Errnum);
    }

    [Fact]
    public void Append_BuildsParsableLog()
    {
        var log = "";
        log = Eventlog.Append(log, new EventlogEntry(1, "submit", new JsonObject { ["urgency"] = 16 }));
        log = Eventlog.Append(log, new EventlogEntry(2, "validate", null));
        var parsed = Eventlog.Parse(log);
        Assert.Equal(2, parsed.Count);
        Assert.Equal(16, parsed[0].Context!["urgency"]!.GetValue<int>());
        Assert.Equal(log, Eventlog.Format(parsed));
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => Eventlog.Append("{}", new EventlogEntry(1, "x", null))).Errnum);
    }
}
