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
    // The first folder before the built-in one that holds candidate connector assemblies, or null.
    private static readonly Lazy<string?> PluginsFirst = new(() =>
    {
        var builtin = Path.GetFullPath(FluxConnect.BuiltinConnectorDir).TrimEnd('/');
        return FluxConnect.SearchPath.TakeWhile(d => d != builtin).FirstOrDefault(d => PluginLoader.Candidates(d).Any());
    });

    private readonly LocalConnector _local = new();

    /// <summary>Registers the compiled-in connector in a native process; nothing in a JIT-hosted one.</summary>
    public static void RegisterIfNative()
    {
        if (NativeHandOver.IsNative)
        {
            FluxConnect.Register("local", new NativeConnector());
        }
    }

    /// <summary>
    /// Why the native command cannot open the instance's URI (FLUX_URI, else the system instance's)
    /// itself, or null when it can (or the URI is malformed: the command reports that itself). Asked
    /// before a command runs, so that one handed over has read nothing (its stdin) yet.
    /// </summary>
    public static string? WhyNotServed()
    {
        if (!Uri.TryCreate(FluxConnect.ResolveUri(null), UriKind.Absolute, out var uri))
        {
            return null;
        }
        return Why(uri);
    }

    /// <inheritdoc />
    public ValueTask<IMessageChannel> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return Why(uri) is { } why
            ? throw new PluginLoadingUnavailableException(why)
            : _local.ConnectAsync(uri, cancellationToken);
    }

    private static string? Why(Uri uri) =>
        uri.Scheme != "local" ? $"connector '{uri.Scheme}'"
        : PluginsFirst.Value is { } dir ? $"connector 'local' (plugins in {dir} come before the built-in one)"
        : null;
}
