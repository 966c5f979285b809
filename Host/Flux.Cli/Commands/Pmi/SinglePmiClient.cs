// flux-core's "single" PMI method: with no PMI service around, the process is a job of one.
using System.Globalization;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

/// <summary>A singleton: rank 0 of 1, barriers complete at once, and the KVS holds what this process put.</summary>
internal sealed class SinglePmiClient : IPmiClient
{
    private readonly Dictionary<string, string> _kvs = new(StringComparer.Ordinal);

    public int Rank => 0;

    public int Size => 1;

    // flux-core names a singleton's KVS after its pid.
    public string Name { get; } = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    public Task BarrierAsync(CancellationToken ct) => Task.CompletedTask;

    public Task PutAsync(string key, string value, CancellationToken ct)
    {
        _kvs[key] = value;
        return Task.CompletedTask;
    }

    public Task<string> GetAsync(string key, CancellationToken ct) =>
        _kvs.TryGetValue(key, out var v) ? Task.FromResult(v) : throw new FluxException(Errno.ENOENT, $"get {key}: key not found");

    /// <summary>With no server to tell, the message goes to stderr; the caller then exits.</summary>
    public async Task AbortAsync(string message, CancellationToken ct) => await Console.Error.WriteLineAsync(message.AsMemory(), ct).ConfigureAwait(false);

    public Task FinalizeAsync(CancellationToken ct) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
