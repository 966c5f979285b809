// exit-timeout: once the first task has exited, the rest get a bounded time to follow (default 30s).
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.ShellPlugins.Builtins;

/// <summary>
/// <c>-o exit-timeout=FSD|none</c> (default 30s, flux-shell-options(7)): when the first task exits,
/// a timer starts; if tasks still run when it fires, the shell dies with a fatal exception
/// ("exit-timeout (30s) expired") and kills them. <c>none</c> (or 0) waits for ever.
/// </summary>
[FluxPlugin("exit-timeout", PluginKind.ShellPlugin, Description = "bounds the wait for the other tasks once one has exited (-o exit-timeout)")]
public sealed class ExitTimeout(IShell shell) : IFluxPlugin, IDisposable
{
    private const double DefaultSeconds = 30;
    private readonly CancellationTokenSource _stop = new();
    private double _seconds = DefaultSeconds;
    private bool _started;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("shell.init", (_, args) =>
        {
            var value = ShellOption.AsString(shell.GetOption("exit-timeout"));
            if (value is null)
            {
                return true;
            }
            if (Parse(value) is not { } seconds)
            {
                return args.Error($"exit-timeout: invalid value '{value}' (expected a duration such as 30s, or none)");
            }
            _seconds = seconds;
            return true;
        });
        plugin.Handle("task.exit", (_, _) => FirstExit());
        plugin.Handle("shell.tasks-complete", (_, _) =>
        {
            _stop.Cancel();
            return true;
        });
    }

    /// <summary>The timeout in seconds (0: none), or null when <paramref name="value"/> is not one.</summary>
    public static double? Parse(string value) =>
        value == "none" ? 0 : Fsd.TryParse(value, out var s) && s >= 0 ? s : null;

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private bool FirstExit()
    {
        if (_started || _seconds <= 0 || shell.Tasks.All(t => t.ExitCode is not null))
        {
            return true;
        }
        _started = true;
        shell.Flux.Background(ExpireAsync(), $"job {shell.JobId}: exit-timeout");
        return true;
    }

    private async Task ExpireAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(_seconds), _stop.Token).ConfigureAwait(true);
        }
        catch (OperationCanceledException)
        {
            return; // every task exited in time, or the job ended
        }
        shell.Die(1, $"exit-timeout ({Fsd.Format(_seconds)}) expired: {shell.Tasks.Count(t => t.ExitCode is null)} task(s) still running");
    }
}
