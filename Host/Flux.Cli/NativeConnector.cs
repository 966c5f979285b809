// The native flux command's connector for local://: the built-in connector compiled in, not loaded.
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Client.Plugins;
using Flux.Connectors.Local;

namespace Flux.Cli;

/// <summary>
/// Serves <c>local://</c> in the native command with <see cref="LocalConnector"/> compiled in, when
/// that is the connector a JIT-hosted client would load: no folder searched before the built-in
/// <c>connectors/</c> one (FLUX_CONNECTOR_PATH, installed connector packages) holds a candidate
/// plugin assembly. Otherwise a plugin might serve the scheme first, and the command is handed over
/// to the JIT companion (<see cref="PluginLoadingUnavailableException"/>), which loads it.
/// Other schemes are not registered: looking them up throws the same exception.
/// </summary>
internal sealed class NativeConnector : IConnector
{
    private readonly LocalConnector _local = new();

    /// <summary>Registers the compiled-in connector in a native process; nothing in a JIT-hosted one.</summary>
    public static void RegisterIfNative()
    {
        if (NativeHandOver.IsNative)
        {
            FluxConnect.Register("local", new NativeConnector());
        }
    }

    /// <inheritdoc />
    public ValueTask<IMessageChannel> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var builtin = Path.GetFullPath(FluxConnect.BuiltinConnectorDir).TrimEnd('/');
        foreach (var dir in FluxConnect.SearchPath)
        {
            if (dir == builtin)
            {
                break;
            }
            if (PluginLoader.Candidates(dir).Any())
            {
                throw new PluginLoadingUnavailableException($"connector '{uri.Scheme}' (plugins in {dir} come before the built-in one)");
            }
        }
        return _local.ConnectAsync(uri, cancellationToken);
    }
}
