// One shell plugin while it registers and runs: its name, its conf, and its handlers adapted to the shell's stack.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Shell;

/// <summary>
/// The <see cref="IPluginRegistrar"/> a shell plugin registers through. The shell can wait, so it
/// accepts <see cref="IPluginRegistrar.HandleAsync"/> as well as <see cref="IPluginRegistrar.Handle"/>.
/// A handler gets the topic's arguments as IN; within one plugin only its first matching handler
/// runs for a topic (as in flux-core's plugin.c). A handler that fails (false, or an exception)
/// fails the call; its message goes to <paramref name="report"/>.
/// </summary>
internal sealed class ShellPluginRegistrar(string name, JsonObject conf, Action<string> report) : IPluginRegistrar
{
    private readonly List<(string Glob, AsyncPluginHandler Handler)> _handlers = [];

    public string Name => name;

    public JsonObject Conf => conf;

    public void Handle(string topicGlob, PluginHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicGlob);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add((topicGlob, (topic, args, _) => ValueTask.FromResult(handler(topic, args))));
    }

    public void HandleAsync(string topicGlob, AsyncPluginHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicGlob);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add((topicGlob, handler));
    }

    /// <summary>The plugin's handlers as the stack calls them: one entry whose glob is "*", dispatching to the first match.</summary>
    public IEnumerable<(string Glob, ShellHandler Handler)> StackHandlers(CancellationToken stop) => [("*", (topic, args) => CallAsync(topic, args, stop))];

    private async ValueTask<bool> CallAsync(string topic, JsonObject args, CancellationToken stop)
    {
        var handler = _handlers.FirstOrDefault(h => Flux.Formats.Glob.IsMatch(h.Glob, topic)).Handler;
        if (handler is null)
        {
            return true;
        }
        var pluginArgs = new PluginArgs(args);
        try
        {
            if (await handler(topic, pluginArgs, stop).ConfigureAwait(true))
            {
                return true;
            }
            report($"{name}: {topic}: {pluginArgs.ErrorMessage ?? "failed"}");
        }
        catch (FluxException ex)
        {
            report($"{name}: {topic}: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A fault of the plugin: it fails this call, as a handler returning false would.
            report($"{name}: {topic}: {ex.GetType().Name}: {ex.Message}");
        }
        return false;
    }
}
