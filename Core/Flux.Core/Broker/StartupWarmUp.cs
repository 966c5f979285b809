// Work a broker's start-up will need, begun on the spare cores while the main thread sets the broker up.
using Flux.Abstractions;
using Flux.Client.Plugins;

namespace Flux.Core.Broker;

/// <summary>
/// From the broker's first instruction until its first module loads, one thread works (the rundir,
/// attributes, services, the listener) and the other cores idle; then the first module pays for code
/// every module shares. Begun here on the pool, that code is loaded and compiled alongside: the
/// metadata of the built-in modules (which rc1 looks every name up in) and the plugin container.
/// Measured (2 cores, interleaved with <see cref="Flux.Client.Connectors.InlineSocketCompletions.EnableInBackground"/>
/// and the shell host started at run): <c>flux start true</c> 244 ms against 260. A warm-up that
/// fails does nothing: the real step does the same work and reports what is wrong.
/// </summary>
internal static class StartupWarmUp
{
    public static void Start()
    {
        _ = Task.Run(static () => BestEffort(static () =>
        {
            foreach (var file in PluginLoader.Candidates(BuiltinPlugins.Directory(PluginKind.Module)))
            {
                _ = PluginMetadata.Read(file);
            }
        }));
        _ = Task.Run(static () => BestEffort(PluginActivator.WarmUp));
    }

    private static void BestEffort(Action work)
    {
        try
        {
            work();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // rc1's own lookup and the first module's load do the same work and say what failed.
        }
    }
}
