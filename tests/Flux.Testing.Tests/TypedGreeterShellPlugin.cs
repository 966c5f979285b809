// A job shell plugin whose conf (plugin.load's conf table) is bound to a class (AddFluxPluginConf), as its author would write it.
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flux.Testing.Tests;

public sealed class TypedGreeterSettings
{
    public string Variable { get; set; } = "GREETING";

    public int Repeat { get; set; } = 1;
}

/// <summary>Sets conf <c>variable</c> to "hi" repeated <c>repeat</c> times in each task's environment, both from its bound conf.</summary>
[FluxPlugin("typed-greeter", PluginKind.ShellPlugin)]
public sealed class TypedGreeterShellPlugin(IShell shell, IOptions<TypedGreeterSettings> settings) : IFluxPlugin, IPluginServices
{
    public static void ConfigureServices(IServiceCollection services) => services.AddFluxPluginConf<TypedGreeterSettings>();

    public void Register(IPluginRegistrar plugin)
    {
        var (variable, repeat) = (settings.Value.Variable, settings.Value.Repeat);
        plugin.Handle("task.init", (_, _) =>
        {
            shell.CurrentTask!.SetEnv(variable, string.Join(' ', Enumerable.Repeat("hi", repeat)));
            return true;
        });
    }
}
