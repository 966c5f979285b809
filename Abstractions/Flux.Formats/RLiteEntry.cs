// One entry of the R_lite array of an RFC 20 resource set.
namespace Flux.Formats;

/// <summary>
/// An RFC 20 <c>R_lite</c> entry: every rank in <paramref name="Ranks"/> holds exactly the cores
/// <paramref name="Cores"/> and GPUs <paramref name="Gpus"/> (logical ids, RFC 22 idsets).
/// </summary>
/// <param name="Ranks">Broker ranks this entry describes.</param>
/// <param name="Cores">Core ids on each of those ranks.</param>
/// <param name="Gpus">GPU ids on each of those ranks; empty when there are none.</param>
public sealed record RLiteEntry(IdSet Ranks, IdSet Cores, IdSet Gpus);
