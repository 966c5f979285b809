// What flux pmi does with a PMI service: the operations of flux-core's upmi that its subcommands use.

namespace Flux.Cli.Commands;

/// <summary>A PMI client, initialized: this process's rank among <see cref="Size"/> and the job's KVS name.</summary>
internal interface IPmiClient : IAsyncDisposable
{
    int Rank { get; }

    int Size { get; }

    /// <summary>The KVS name (flux-core gives the job id in F58).</summary>
    string Name { get; }

    Task BarrierAsync(CancellationToken ct);

    Task PutAsync(string key, string value, CancellationToken ct);

    Task<string> GetAsync(string key, CancellationToken ct);

    /// <summary>Asks the PMI service to end the job with <paramref name="message"/>; the caller then exits (PMI_Abort does not return).</summary>
    Task AbortAsync(string message, CancellationToken ct);

    Task FinalizeAsync(CancellationToken ct);
}
