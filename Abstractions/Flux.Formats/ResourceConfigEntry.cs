// One [[resource.config]] table of the broker configuration, which describes resources without hwloc.
namespace Flux.Formats;

/// <summary>
/// One <c>[[resource.config]]</c> entry: the hosts (an RFC 29 hostlist) that have the cores and GPUs
/// given as RFC 22 idsets, and the listed properties. Ranks are assigned in order of first appearance
/// of each host across all entries; entries naming the same host merge.
/// </summary>
/// <param name="Hosts">Hostlist of the hosts this entry describes, e.g. <c>node[0-15]</c>.</param>
/// <param name="Cores">Core idset on each host, e.g. <c>0-31</c>; null for none.</param>
/// <param name="Gpus">GPU idset on each host; null for none.</param>
/// <param name="Properties">Property names given to each host; null for none.</param>
public sealed record ResourceConfigEntry(string Hosts, string? Cores = null, string? Gpus = null, IReadOnlyList<string>? Properties = null);
