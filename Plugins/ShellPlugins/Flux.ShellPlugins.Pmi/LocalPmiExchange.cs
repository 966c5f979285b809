// The PMI exchange of a job whose tasks all run under this one shell: nothing to send anywhere.

namespace Flux.ShellPlugins.Pmi;

/// <summary>Every task of the job is local, so the keys put here are already all the keys there are.</summary>
public sealed class LocalPmiExchange : IPmiExchange
{
    public Task<IReadOnlyDictionary<string, string>> ExchangeAsync(IReadOnlyDictionary<string, string> pending, CancellationToken ct) =>
        Task.FromResult(pending);
}
