// A validator whose per-plugin conf ([ingest.validator.task-cap] and the stage's args) is bound to a class (AddFluxPluginConf).
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flux.Testing.Tests;

public sealed class TaskCapSettings
{
    public int Max { get; set; } = 1;

    public string Message { get; set; } = "too many tasks";
}

/// <summary>Rejects a job of more than <c>max</c> tasks with <c>message</c>, both from its bound conf.</summary>
[FluxPlugin("task-cap", PluginKind.Validator)]
public sealed class TaskCapValidator(IOptions<TaskCapSettings> settings) : IFluxPlugin, IPluginServices
{
    public static void ConfigureServices(IServiceCollection services) => services.AddFluxPluginConf<TaskCapSettings>();

    public void Register(IPluginRegistrar plugin)
    {
        var (max, message) = (settings.Value.Max, settings.Value.Message);
        plugin.Handle("job.validate", (_, args) =>
        {
            var perSlot = args.In["jobspec"]!["tasks"]![0]!["count"]!["per_slot"]?.GetValue<long>() ?? 1;
            var tasks = perSlot * args.In["jobspec"]!["resources"]![0]!["count"]!.GetValue<long>();
            return tasks <= max || args.Error($"{message}: {tasks} > {max}");
        });
    }
}
