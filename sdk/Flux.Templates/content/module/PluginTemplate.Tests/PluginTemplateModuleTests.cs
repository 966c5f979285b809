// The plugin-template module's tests: loaded into an in-process instance (Flux.Testing) with a configuration, and called as a client would.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Testing;

namespace PluginTemplate.Tests;

public sealed class PluginTemplateModuleTests
{
    // The instance's configuration, as a *.toml file in its config directory would hold it.
    private static FluxTestOptions WithConfig(string toml) => new() { Config = toml };

    [Fact]
    public async Task Hello_NameGiven_GreetsWithTheConfiguredGreetingAndCounts()
    {
        await using var instance = await FluxTestInstance.StartAsync(WithConfig("[plugin-template]\ngreeting = \"Hi\"\n"));
        await instance.LoadModuleAsync<PluginTemplateModule>();

        var first = await instance.Flux.RpcAsync("plugin-template.hello", new JsonObject { ["name"] = "Ada" });
        Assert.Equal("Hi, Ada!", first!["greeting"]!.GetValue<string>());
        Assert.Equal(1, first["calls"]!.GetValue<long>());
        var second = await instance.Flux.RpcAsync("plugin-template.hello");
        Assert.Equal("Hi, world!", second!["greeting"]!.GetValue<string>());
        Assert.Equal(2, second["calls"]!.GetValue<long>());
    }

    [Fact]
    public async Task Load_UnknownKeyInItsTable_FailsNamingTheKey()
    {
        await using var instance = await FluxTestInstance.StartAsync(WithConfig("[plugin-template]\ngreting = \"Hi\"\n"));

        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadModuleAsync<PluginTemplateModule>());
        Assert.Contains("[plugin-template] greting: unknown key (expected greeting)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_LoadedUnderAnotherName_AnswersUnderThatName()
    {
        await using var instance = await FluxTestInstance.StartAsync();
        await instance.LoadModuleAsync(typeof(PluginTemplateModule), "other");

        var reply = await instance.Flux.RpcAsync("other.hello");
        Assert.Equal("Hello, world!", reply!["greeting"]!.GetValue<string>());
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.Flux.RpcAsync("plugin-template.hello"));
        Assert.Equal(Errno.ENOSYS, ex.Errnum);
    }

    [Fact]
    public async Task Hello_FromAnotherUser_IsAnswered()
    {
        await using var instance = await FluxTestInstance.StartAsync();
        await instance.LoadModuleAsync<PluginTemplateModule>();
        var guest = await instance.ConnectAsync(guestUserId: 4242);

        var reply = await guest.RpcAsync("plugin-template.hello", new JsonObject { ["name"] = "Bob" });
        Assert.Equal("Hello, Bob!", reply!["greeting"]!.GetValue<string>());
    }
}
