// Test module: throws from a handler, from background work, from its loop, or from LoadAsync when
// asked to; or never finishes loading or unloading; or ends the process.
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
        if (Environment.GetEnvironmentVariable("FLUX_FAULTY_HANG_LOAD") is { Length: > 0 } marker)
        {
            // Loaded with no arguments (a broker's rc1): creates the marker file, then hangs as hang-load does.
            File.WriteAllText(marker, "loading\n");
            return new ValueTask(new TaskCompletionSource().Task);
        }
        if (args.Get("hang-load") is not null)
        {
            // Never completes, and ignores its cancellation token: only the host's timeout ends the wait.
            return new ValueTask(new TaskCompletionSource().Task);
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
        // Ends the whole process, as a careless plugin may: the broker must say it was not the user's command.
        flux.RegisterHandler(MessageType.Request, "faulty.exit", msg =>
        {
            Environment.Exit(msg.GetJsonOrNull()?["code"]?.GetValue<int>() ?? 3);
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

    public ValueTask UnloadAsync(CancellationToken cancellationToken) =>
        args.Get("hang-unload") is not null ? new ValueTask(new TaskCompletionSource().Task) : ValueTask.CompletedTask;
}
