// A sample connector: logging:?file=PATH&uri=URI wraps another URI and logs each message it carries.
using Flux.Abstractions;

namespace LoggingConnector;

/// <summary>
/// Opens <c>logging:?uri=URI</c> (or <c>logging:?file=PATH&amp;uri=URI</c>): connects to URI with
/// whatever connector serves its scheme, and writes one line per message sent or received, its
/// direction, type and topic, to stderr or appended to PATH. <c>uri</c> comes last and runs to the
/// end, so the wrapped URI needs no escaping. To use it, put the folder holding this assembly on
/// FLUX_CONNECTOR_PATH:
/// <code>
/// export FLUX_CONNECTOR_PATH=samples/LoggingConnector/bin/Release/net10.0
/// FLUX_URI="logging:?uri=$FLUX_URI" flux getattr rank
/// </code>
/// </summary>
/// <param name="any">The client's connector for any URI, given to a connector whose constructor asks for one.</param>
[FluxPlugin("logging", PluginKind.Connector)]
public sealed class LoggingConnector(IConnector any) : IConnector
{
    /// <inheritdoc />
    public async ValueTask<IMessageChannel> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var (inner, file) = Parse(uri.OriginalString);
        var channel = await any.ConnectAsync(inner, cancellationToken).ConfigureAwait(false);
        var log = file is null
            ? Console.Error
            : new StreamWriter(new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        return new LoggingChannel(channel, log, ownsLog: file is not null);
    }

    private static (Uri Inner, string? File) Parse(string text)
    {
        var q = text.IndexOf('?', StringComparison.Ordinal);
        var query = q < 0 ? string.Empty : text[(q + 1)..];
        int at;
        if (query.StartsWith("uri=", StringComparison.Ordinal))
        {
            at = 0;
        }
        else
        {
            var amp = query.IndexOf("&uri=", StringComparison.Ordinal);
            at = amp >= 0 ? amp + 1 : throw new FluxException(Errno.EINVAL, $"{text}: expected logging:?uri=URI or logging:?file=PATH&uri=URI");
        }
        var innerText = query[(at + "uri=".Length)..];
        if (!Uri.TryCreate(innerText, UriKind.Absolute, out var inner))
        {
            throw new FluxException(Errno.EINVAL, $"{text}: '{innerText}' is not a URI");
        }
        string? file = null;
        foreach (var p in query[..at].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            file = p.StartsWith("file=", StringComparison.Ordinal)
                ? Uri.UnescapeDataString(p["file=".Length..])
                : throw new FluxException(Errno.EINVAL, $"{text}: unknown parameter '{p}' (file, uri)");
        }
        return (inner, file);
    }
}
