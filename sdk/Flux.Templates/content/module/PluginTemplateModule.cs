// The plugin-template broker module: answers plugin-template.hello with a greeting and a count of the calls.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PluginTemplate;

/// <summary>
/// Load it by name once installed (<c>flux plugin install</c>), then call it:
/// <code>
/// flux module load plugin-template
/// flux rpc plugin-template.hello '{"name":"Ada"}'
/// </code>
/// Its greeting comes from the <c>[plugin-template]</c> table of the configuration
/// (<see cref="PluginTemplateSettings"/>), bound when it loads. Loaded as
/// <c>flux module load -n other plugin-template</c>, it answers <c>other.hello</c>.
/// The module runs on its own loop (an actor): handlers run one at a time, so its state needs no lock.
/// </summary>
[FluxPlugin("plugin-template", PluginKind.Module, Description = "Answers plugin-template.hello")]
public sealed partial class PluginTemplateModule(IFlux flux, IOptions<PluginTemplateSettings> settings, ILogger<PluginTemplateModule> log) : IFluxModule, IPluginServices
{
    private long _calls;

    /// <summary>
    /// Binds <see cref="PluginTemplateSettings"/> to the <c>[plugin-template]</c> table before the module is
    /// constructed. For values that follow <c>flux config reload</c>, ask for
    /// <c>IOptionsMonitor&lt;PluginTemplateSettings&gt;</c> and read its <c>CurrentValue</c>.
    /// </summary>
    public static void ConfigureServices(IServiceCollection services) => services.AddFluxOptions<PluginTemplateSettings>("plugin-template");

    /// <inheritdoc />
    public ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        var greeting = settings.Value.Greeting;
        // Topics under the module's service, its name as loaded: plugin-template, or NAME with
        // flux module load -n NAME. FluxRole.User lets guests call it too.
        flux.RegisterHandler(MessageType.Request, $"{flux.Name}.hello", request =>
        {
            var name = request.GetJsonOrNull()?["name"]?.GetValue<string>() ?? "world";
            _calls++;
            flux.Respond(request, new JsonObject
            {
                ["greeting"] = $"{greeting}, {name}!",
                ["calls"] = _calls,
            });
            return ValueTask.CompletedTask;
        }, FluxRole.User);
        Loaded(log, greeting);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        Unloading(log, _calls);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "plugin-template loaded (greeting '{Greeting}')")]
    private static partial void Loaded(ILogger logger, string greeting);

    [LoggerMessage(Level = LogLevel.Information, Message = "plugin-template unloading after {Calls} calls")]
    private static partial void Unloading(ILogger logger, long calls);
}
