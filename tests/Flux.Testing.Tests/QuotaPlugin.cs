// A jobtap plugin with typed options: [quota] bound through IPluginServices, followed across config reloads.
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flux.Testing.Tests;

/// <summary>The <c>[quota]</c> table.</summary>
public sealed class QuotaSettings
{
    public bool Closed { get; set; }

    public string Message { get; set; } = "queue closed";
}

/// <summary>Refuses every job at job.validate while <c>[quota] closed = true</c>, with <c>[quota] message</c>.</summary>
[FluxPlugin("quota", PluginKind.Jobtap)]
public sealed class QuotaPlugin(IOptionsMonitor<QuotaSettings> settings) : IFluxPlugin, IPluginServices
{
    public static void ConfigureServices(IServiceCollection services) => services.AddFluxOptions<QuotaSettings>("quota");

    public void Register(IPluginRegistrar plugin) =>
        plugin.Handle("job.validate", (_, args) => !settings.CurrentValue.Closed || args.Error(settings.CurrentValue.Message));
}
