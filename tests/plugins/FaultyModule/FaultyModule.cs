// Test module: throws from a handler, from background work, from its loop, or from LoadAsync when asked to.
using Flux.Abstractions;
using Microsoft.Extensions.Logging;

namespace FaultyModule;

[FluxPlugin("faulty", PluginKind.Module)]
public sealed class FaultyModule(IFlux flux, ModuleArgs args) : IFluxModule
{
    public ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        if (args.Get("fail-load") is not null)
        {
            throw new InvalidOperationException("asked to fail while loading");
        }
        flux.RegisterHandler(MessageType.Request, "faulty.throw", _ => throw new InvalidOperationException("handler exploded"));
        flux.RegisterHandler(MessageType.Request, "faulty.errno", _ => throw new FluxException(Errno.EEXIST, "custom errno"));
        // The handler returns at once and leaves the request pending on background work that fails:
        // without IFlux.Background the caller would wait forever.
        flux.RegisterHandler(MessageType.Request, "faulty.background", msg =>
        {
            flux.Background(FailLaterAsync(), "background lookup", msg, _ => flux.Logger.LogInformation("cleanup ran after background lookup"));
            return ValueTask.CompletedTask;
        });
        flux.RegisterHandler(MessageType.Request, "faulty.crash", msg =>
        {
            flux.Respond(msg);
            SynchronizationContext.Current!.Post(_ => throw new InvalidOperationException("loop crashed"), null);
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    private static async Task FailLaterAsync()
    {
        await Task.Yield();
        throw new InvalidOperationException("background work exploded");
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
