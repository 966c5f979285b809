// The seam between one shell's PMI server and the other shells of its job: what a barrier exchanges.

namespace Flux.ShellPlugins.Pmi;

/// <summary>
/// Completes a PMI barrier across the shells of a job. Each shell's server calls it once all of its
/// own tasks have entered the barrier, with the keys they put since the last one; it returns every
/// key put by every shell of the job. <see cref="LocalPmiExchange"/> serves a job whose tasks all
/// run under one shell; a job spread over several shells exchanges through the broker (flux-core
/// gathers the dictionaries up a tree of shells, or with <c>pmi-simple.kvs=native</c> fences them
/// into the job's KVS namespace under <c>pmi.KEY</c>).
/// </summary>
public interface IPmiExchange
{
    /// <summary>Exchanges this shell's new keys; returns the keys of every shell. Throws when the exchange fails.</summary>
    Task<IReadOnlyDictionary<string, string>> ExchangeAsync(IReadOnlyDictionary<string, string> pending, CancellationToken ct);
}
