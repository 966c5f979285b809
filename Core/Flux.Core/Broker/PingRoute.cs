// The route string a ping response carries, built as flux-core's flux_msg_route_string does.
using Flux.Abstractions;

namespace Flux.Core.Broker;

/// <summary>
/// flux-core (src/common/libflux/message.c, flux_msg_route_string) joins a request's route frames
/// from the sender to the last hop with '!', each cut to 8 characters so a UUID stays short.
/// </summary>
internal static class PingRoute
{
    private const int MaxHopLength = 8;

    /// <summary>The route of <paramref name="request"/>, sender first.</summary>
    public static string Of(Message request) =>
        string.Join('!', (request.Routes ?? []).Select(r => r.Length > MaxHopLength ? r[..MaxHopLength] : r));
}
