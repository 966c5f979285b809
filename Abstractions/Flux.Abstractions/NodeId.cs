// Special nodeid and matchtag values of RFC 3.
namespace Flux.Abstractions;

/// <summary>Special values of a request's nodeid and of the matchtag (RFC 3).</summary>
public static class NodeId
{
    /// <summary>Deliver to the nearest rank that has the service (FLUX_NODEID_ANY).</summary>
    public const uint Any = 0xFFFFFFFF;

    /// <summary>Deliver upstream of the sender's rank (FLUX_NODEID_UPSTREAM, client API only).</summary>
    public const uint Upstream = 0xFFFFFFFE;

    /// <summary>No matchtag (FLUX_MATCHTAG_NONE).</summary>
    public const uint MatchtagNone = 0;

    /// <summary>The unknown userid of a credential that was never stamped.</summary>
    public const uint UnknownUserId = 0xFFFFFFFF;
}
