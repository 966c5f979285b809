// A test module whose gated.hold handler holds its loop until the test opens a gate: requests sent
// meanwhile wait in the module's queue, which module.list reports as flux-core's sendqueue.
using Flux.Abstractions;

namespace Flux.Conformance.Tests;

[FluxPlugin("gated", PluginKind.Module)]
public sealed class GatedModule(IFlux flux) : IFluxModule
{
    public ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        flux.RegisterHandler(MessageType.Request, "gated.hold", request =>
        {
            var gate = ModuleGate.Current ?? throw new FluxException(Errno.EINVAL, "gated.hold: no gate set by the test");
            gate.Hold();
            flux.Respond(request, null);
            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>The gate of <see cref="GatedModule"/>: a request blocks the module's loop on it until <see cref="Open"/>.</summary>
internal sealed class ModuleGate : IDisposable
{
    private readonly ManualResetEventSlim _open = new();
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the gate the module uses (one at a time: the test that creates it owns the module).</summary>
    public ModuleGate() => Current = this;

    public static ModuleGate? Current { get; private set; }

    /// <summary>Completes when a request first waits at the gate.</summary>
    public Task Entered => _entered.Task;

    public void Open() => _open.Set();

    // Bounded: a test that fails before opening the gate does not leave the loop held for ever.
    public void Hold()
    {
        _entered.TrySetResult();
        _open.Wait(Await.Limit);
    }

    public void Dispose()
    {
        _open.Set();
        Current = null;
        _open.Dispose();
    }
}
