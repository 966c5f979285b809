// Work a broker's start-up will need, begun on the spare cores while the main thread sets the broker up.
using Flux.Abstractions;
using Flux.Client.Plugins;

namespace Flux.Core.Broker;

/// <summary>
/// From the broker's first instruction until its first module loads, one thread works (the rundir,
/// attributes, services, the listener) and the other cores idle; then the first module pays for code
/// every module shares. Begun here on the pool, that code is loaded and compiled alongside: the
/// metadata of the built-in modules (which rc1 looks every name up in) and the plugin container. A
/// warm-up that fails does nothing: the real step does the same work and reports its errors.
/// </summary>
internal static class StartupWarmUp
{
    public static void Start()
    {
        _ = Task.Run(static () =>
        {
            try
            {
                foreach (var file in PluginLoader.Candidates(BuiltinPlugins.Directory(PluginKind.Module)))
                {
                    _ = PluginMetadata.Read(file);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException)
            {
                // rc1's own lookup reads the same files and says what is wrong.
            }
        });
        _ = Task.Run(PluginActivator.WarmUp);
    }
}
