// The resources of one broker rank in an RFC 20 resource set.
namespace Flux.Formats;

/// <summary>The resources R assigns to one broker rank (RFC 20).</summary>
/// <param name="Rank">The broker rank.</param>
/// <param name="Hostname">The rank's host name from <c>nodelist</c>, or null when R has no nodelist.</param>
/// <param name="Cores">Logical core ids on the rank.</param>
/// <param name="Gpus">Logical GPU ids on the rank; empty when there are none.</param>
/// <param name="Properties">Names of the properties the rank has, in ordinal order.</param>
public sealed record Rv1Rank(uint Rank, string? Hostname, IdSet Cores, IdSet Gpus, IReadOnlyList<string> Properties)
{
    /// <summary>True when the rank holds neither cores nor GPUs.</summary>
    public bool IsEmpty => Cores.IsEmpty && Gpus.IsEmpty;
}
