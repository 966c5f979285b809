// Runs shell plugins on a real plugin stack against a fake shell: the registrar, the stack and the loader under test.
using System.Text.Json.Nodes;
using Flux.Abstractions.Plugins;

namespace Flux.Shell.Tests;

internal sealed class PluginHarness : IDisposable
{
    private readonly ShellPluginStack _stack = new();
    private readonly ShellPluginLoader _loader;

    public PluginHarness(FakeShell shell)
    {
        Shell = shell;
        _loader = new ShellPluginLoader(shell, null, _stack, Reported.Add);
    }

    public FakeShell Shell { get; }

    public List<string> Reported { get; } = [];

    public IReadOnlyList<string> Names => _loader.Names;

    public PluginHarness With<T>(string name)
        where T : IFluxPlugin
    {
        _loader.LoadBuiltins([(name, typeof(T))], new Services(Shell));
        return this;
    }

    /// <summary>Calls a topic; returns the (first) plugin that failed it, or null.</summary>
    public async ValueTask<string?> CallAsync(string topic, JsonObject? args = null) =>
        (await _stack.CallAsync(topic, args ?? []).ConfigureAwait(false)) is [var first, ..] ? first : null;

    /// <summary>A task of rank <paramref name="rank"/> made current, as the shell does around task.* topics.</summary>
    public PluginTask Task(int rank)
    {
        var task = new PluginTask(rank, rank, ["true"], "/tmp", []);
        Shell.TaskList.Add(task);
        Shell.Current = task;
        return task;
    }

    public void Dispose() => _loader.Dispose();

    private sealed class Services(IShell shell) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IShell) ? shell : null;
    }
}
