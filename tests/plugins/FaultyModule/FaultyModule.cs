// Test module: throws from a handler, from its loop, or from LoadAsync when asked to.
using Flux.Abstractions;

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
        flux.RegisterHandler(MessageType.Request, "faulty.crash", msg =>
        {
            flux.Respond(msg);
            SynchronizationContext.Current!.Post(_ => throw new InvalidOperationException("loop crashed"), null);
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
