// A test shell plugin: reports what its job's shell may reach through IShell.Flux (flux-shell(1): a guest's access).
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Abstractions.Plugins;

namespace ShellAccessProbe;

/// <summary>
/// At shell.init, logs how many instances its load context has constructed, writes a key in the job's own namespace, then one in the primary namespace, then asks
/// to register a service that is not its own, and logs "probe NAME: ok" or "probe NAME: errno N" for
/// each on the job's stderr.
/// </summary>
[FluxPlugin("access-probe", PluginKind.ShellPlugin, Description = "reports which broker calls a job shell may make")]
public sealed class ShellAccessProbe : IFluxPlugin
{
    // How many instances this load context has constructed: 1 for each job when every job loads the
    // plugin afresh, counting up when a shell host keeps the context from one job to the next.
    private static int s_constructed;

    private readonly IShell _shell;
    private readonly int _construction;

    public ShellAccessProbe(IShell shell)
    {
        _shell = shell;
        _construction = Interlocked.Increment(ref s_constructed);
    }

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.HandleAsync("shell.init", async (_, _, _) =>
        {
            _shell.Log($"probe construction {_construction} in this load context");
            // The job's guest namespace (job-exec names it job-ID, as flux-core does; tasks see it as FLUX_KVS_NAMESPACE).
            var ns = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"job-{_shell.JobId}");
            await ProbeAsync("guest-namespace", () => _shell.Flux.KvsCommitAsync(new KvsTxn().Put("probe", "\"x\""), ns)).ConfigureAwait(true);
            await ProbeAsync("primary-namespace", () => _shell.Flux.KvsCommitAsync(new KvsTxn().Put("probe", "\"x\""))).ConfigureAwait(true);
            await ProbeAsync("other-service", () => _shell.Flux.AddServiceAsync("not-mine")).ConfigureAwait(true);
            return true;
        });
    }

    private async Task ProbeAsync(string name, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(true);
            _shell.Log($"probe {name}: ok");
        }
        catch (FluxException ex)
        {
            _shell.Log($"probe {name}: errno {ex.Errnum}");
        }
    }
}
