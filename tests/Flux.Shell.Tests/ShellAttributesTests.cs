// The attributes job-exec sends with a job to the shell host: what goes on the wire and what is refused.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Shell.Tests;

public sealed class ShellAttributesTests
{
    [Fact]
    public void ToJsonThenFromJson_SetAndUnset_SameValues()
    {
        var attrs = new ShellAttributes("/etc/flux/shell/initrc.lua", null);
        var json = JsonNode.Parse(attrs.ToJson().ToJsonString());
        Assert.Equal("{\"conf.shell_initrc\":\"/etc/flux/shell/initrc.lua\",\"conf.shell_pluginpath\":null}", json!.ToJsonString());
        Assert.Equal(attrs, ShellAttributes.FromJson(json));
    }

    [Fact]
    public void FromJson_NoField_NullSoTheShellAsksTheBroker() => Assert.Null(ShellAttributes.FromJson(null));

    [Theory]
    [InlineData("[]", "attributes: expected an object")]
    [InlineData("{\"conf.shell_initrc\": 3}", "attributes: conf.shell_initrc: expected a string or null")]
    [InlineData("{\"conf.shell_pluginpath\": {}}", "attributes: conf.shell_pluginpath: expected a string or null")]
    public void FromJson_WrongShape_Eproto(string json, string message)
    {
        var ex = Assert.Throws<FluxException>(() => ShellAttributes.FromJson(JsonNode.Parse(json)));
        Assert.Equal(Errno.EPROTO, ex.Errnum);
        Assert.Equal(message, ex.Message);
    }
}
