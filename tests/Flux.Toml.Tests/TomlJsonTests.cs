// Tests of the JSON conversions: the plain form used by the config tree, and the tagged toml-test form.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.Toml.Tests;

public sealed class TomlJsonTests
{
    private static TomlTable Parse(string text) => TomlParser.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void ToPlainJson_Scalars_BecomePlainJsonValues()
    {
        var json = TomlJson.ToPlainJson(Parse("""
            s = "x"
            i = 42
            f = 1.5
            b = true
            p = inf
            n = -inf
            q = nan
            odt = 1979-05-27 07:32:00.25z
            ld = 1979-05-27
            lt = 07:32:00
            arr = [1, "two", [3]]
            [t]
            k = 1
            """));

        Assert.Equal(JsonValueKind.String, json["s"]!.GetValueKind());
        Assert.Equal(42L, json["i"]!.GetValue<long>());
        Assert.Equal(JsonValueKind.Number, json["f"]!.GetValueKind());
        Assert.Equal(1.5, json["f"]!.GetValue<double>());
        Assert.True(json["b"]!.GetValue<bool>());
        Assert.Equal("inf", (string?)json["p"]);
        Assert.Equal("-inf", (string?)json["n"]);
        Assert.Equal("nan", (string?)json["q"]);
        Assert.Equal("1979-05-27T07:32:00.25Z", (string?)json["odt"]);
        Assert.Equal("1979-05-27", (string?)json["ld"]);
        Assert.Equal("07:32:00", (string?)json["lt"]);
        Assert.Equal("""[1,"two",[3]]""", json["arr"]!.ToJsonString());
        Assert.Equal("""{"k":1}""", json["t"]!.ToJsonString());
    }

    [Fact]
    public void ToPlainJson_Document_SerializesInDocumentOrder()
    {
        var json = TomlJson.ToPlainJson(Parse("z = 1\na = 2\n[m]\nx = 3"));

        Assert.Equal("""{"z":1,"a":2,"m":{"x":3}}""", json.ToJsonString());
    }

    [Fact]
    public void ToTaggedJson_Scalars_AreTypedStrings()
    {
        var json = TomlJson.ToTaggedJson(Parse("i = 0xff\nf = -0.0\nd = 2000-01-01T00:00:00+05:30\nb = false"));

        static (string?, string?) Tag(JsonNode? n) => ((string?)n!["type"], (string?)n["value"]);
        Assert.Equal(("integer", "255"), Tag(json["i"]));
        Assert.Equal(("float", "-0"), Tag(json["f"]));
        Assert.Equal(("datetime", "2000-01-01T00:00:00+05:30"), Tag(json["d"]));
        Assert.Equal(("bool", "false"), Tag(json["b"]));
    }

    [Fact]
    public void ToPlainJson_MaxDepthDocument_WritesWithUtf8JsonWriter()
    {
        var doc = Parse("a = " + new string('[', TomlParser.MaxDepth) + new string(']', TomlParser.MaxDepth));
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            TomlJson.ToPlainJson(doc).WriteTo(writer);
        }

        Assert.Equal("{\"a\":".Length + (2 * TomlParser.MaxDepth) + 1, stream.Length);
        Assert.IsType<JsonObject>(JsonNode.Parse(stream.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 256 }));
    }
}
