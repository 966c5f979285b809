// A module that binds its table ([clock]) to a class and reads the time from an injected TimeProvider, for the tests.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Testing.Tests;

[FluxPlugin("clock", PluginKind.Module)]
public sealed class ClockModule(IFlux flux, TimeProvider time) : IFluxModule
{
    public sealed class Settings
    {
        public TimeSpan Offset { get; set; }
    }

    public ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        var settings = flux.Config.Bind<Settings>("clock");
        flux.RegisterHandler(MessageType.Request, "clock.now", request =>
        {
            flux.Respond(request, new JsonObject { ["now"] = (time.GetUtcNow() + settings.Offset).ToUnixTimeSeconds() });
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
