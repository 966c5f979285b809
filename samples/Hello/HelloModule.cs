// A sample broker module: serves hello.greet, says hello in the broker log, counts greetings.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Microsoft.Extensions.Logging;

namespace Hello;

/// <summary>
/// Load with <c>flux module load samples/Hello/bin/Release/net10.0/Hello.dll [greeting=TEXT]</c>,
/// then <c>flux ping hello</c> or an RPC to <c>hello.greet {"name": "..."}</c>.
/// </summary>
[FluxPlugin("hello", PluginKind.Module)]
public sealed class HelloModule(IFlux flux, ModuleArgs args, ILogger<HelloModule> log) : IFluxModule
{
    private int _greetings;

    public ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        var greeting = args.Get("greeting") ?? "Hello";
        // Guests may be greeted too: the handler allows the USER role.
        flux.RegisterHandler(MessageType.Request, "hello.greet", request =>
        {
            var name = request.GetJsonOrNull()?["name"]?.GetValue<string>() ?? "world";
            _greetings++;
            flux.Respond(request, new JsonObject
            {
                ["greeting"] = $"{greeting}, {name}!",
                ["count"] = _greetings,
                ["userid"] = request.UserId,
            });
            return ValueTask.CompletedTask;
        }, FluxRole.User);
        log.LogInformation("hello module loaded (greeting '{Greeting}')", greeting);
        return ValueTask.CompletedTask;
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken)
    {
        log.LogInformation("hello module unloading after {Count} greetings", _greetings);
        return ValueTask.CompletedTask;
    }
}
