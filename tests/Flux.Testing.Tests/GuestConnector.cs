// A connector as a plugin author writes one, for the tests: guest:?userid=N&uri=URI opens URI as guest N.
using Flux.Abstractions;

namespace Flux.Testing.Tests;

/// <summary>Wraps another URI (<c>uri</c>, last) and opens it with <c>?userid=N</c>, so requests arrive as that guest's.</summary>
[FluxPlugin("guest", PluginKind.Connector)]
public sealed class GuestConnector(IConnector any) : IConnector
{
    public ValueTask<IMessageChannel> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        const string Prefix = "guest:?userid=";
        var text = uri.OriginalString;
        var amp = text.IndexOf("&uri=", StringComparison.Ordinal);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || amp < 0)
        {
            throw new FluxException(Errno.EINVAL, $"{text}: expected guest:?userid=N&uri=URI");
        }
        var user = text[Prefix.Length..amp];
        return any.ConnectAsync(new Uri($"{text[(amp + "&uri=".Length)..]}?userid={user}"), cancellationToken);
    }
}
