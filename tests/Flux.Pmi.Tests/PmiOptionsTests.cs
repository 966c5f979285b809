// -o pmi and -o pmi-simple as flux-core's pmi-simple plugin reads them.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.ShellPlugins.Pmi;

namespace Flux.Pmi.Tests;

public sealed class PmiOptionsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("\"simple\"", true)]
    [InlineData("\"pmi1\"", true)]
    [InlineData("\"pmi2\"", true)]
    [InlineData("\"pmix,simple\"", true)]
    [InlineData("\"off\"", false)]
    [InlineData("\"pmix\"", false)]
    [InlineData("\"cray-pals\"", false)]
    public void Parse_PmiList_EnabledWhenSimpleOrAliasListed(string? pmi, bool enabled)
    {
        var options = PmiOptions.Parse(pmi is null ? null : JsonNode.Parse(pmi), null);

        Assert.Equal(enabled, options.Enabled);
    }

    [Fact]
    public void Parse_PmiNotString_Refused()
    {
        var ex = Assert.Throws<FluxException>(() => PmiOptions.Parse(JsonValue.Create(1), null));

        Assert.Equal("pmi shell option must be a string", ex.Message);
    }

    [Theory]
    [InlineData("{\"nomap\":1}", true)]
    [InlineData("{\"nomap\":0,\"kvs\":\"native\",\"exchange\":{\"k\":4}}", false)]
    [InlineData("{\"kvs\":\"exchange\"}", false)]
    public void Parse_PmiSimple_Accepted(string pmiSimple, bool nomap)
    {
        Assert.Equal(nomap, PmiOptions.Parse(null, JsonNode.Parse(pmiSimple)).NoMap);
    }

    [Theory]
    [InlineData("{\"kvs\":\"redis\"}", "Unknown kvs implementation redis")]
    [InlineData("{\"frob\":1}", "option error: pmi-simple.frob")]
    [InlineData("{\"exchange\":{\"k\":\"x\"}}", "option error: pmi-simple.exchange")]
    [InlineData("\"simple\"", "error parsing pmi-simple shell option")]
    public void Parse_PmiSimpleMalformed_Refused(string pmiSimple, string message)
    {
        var ex = Assert.Throws<FluxException>(() => PmiOptions.Parse(null, JsonNode.Parse(pmiSimple)));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }
}
