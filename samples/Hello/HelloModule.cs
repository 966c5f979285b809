// A sample broker module: serves hello.greet, says hello in the broker log, counts greetings.
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hello;

/// <summary>
/// Load with <c>flux module load samples/Hello/bin/Release/net10.0/Hello.dll [greeting=TEXT]</c>,
/// then <c>flux ping hello</c> or an RPC to <c>hello.greet {"name": "..."}</c>. The greeting is the
/// <c>greeting=</c> argument, else the <c>[hello] greeting</c> key of the instance's configuration
/// (which <c>flux config reload</c> changes); <c>flux module stats hello</c> shows the greetings counted.
/// </summary>
[FluxPlugin("hello", PluginKind.Module)]
public sealed class HelloModule(IFlux flux, ModuleArgs args, IOptionsMonitor<HelloSettings> settings, IMeterFactory meters, ILogger<HelloModule> log)
    : IFluxModule, IPluginServices
{
    private readonly Meter _meter = meters.Create("Hello");
    private int _greetings;

    /// <summary>The [hello] table, bound and checked by the broker at load and on every reload.</summary>
    public static void ConfigureServices(IServiceCollection services) => services.AddFluxOptions<HelloSettings>("hello");

    public ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        var counted = _meter.CreateCounter<long>("greetings", description: "hello.greet requests answered");
        var lengths = _meter.CreateHistogram<int>("name-length", unit: "{character}");
        // Guests may be greeted too: the handler allows the USER role.
        flux.RegisterHandler(MessageType.Request, "hello.greet", request =>
        {
            var name = request.GetJsonOrNull()?["name"]?.GetValue<string>() ?? "world";
            if (name.Length > settings.CurrentValue.MaxNameLength)
            {
                throw new FluxException(Errno.EINVAL, $"hello.greet: name is {name.Length} characters, more than [hello] max-name-length ({settings.CurrentValue.MaxNameLength})");
            }
            _greetings++;
            counted.Add(1);
            lengths.Record(name.Length);
            flux.Respond(request, new JsonObject
            {
                ["greeting"] = $"{Greeting}, {name}!",
                ["count"] = _greetings,
                ["userid"] = request.UserId,
            });
            return ValueTask.CompletedTask;
        }, FluxRole.User);
        log.LogInformation("hello module loaded (greeting '{Greeting}')", Greeting);
        return ValueTask.CompletedTask;
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        log.LogInformation("hello module unloading after {Count} greetings", _greetings);
        return ValueTask.CompletedTask;
    }

    private string Greeting => args.Get("greeting") ?? settings.CurrentValue.Greeting;
}
