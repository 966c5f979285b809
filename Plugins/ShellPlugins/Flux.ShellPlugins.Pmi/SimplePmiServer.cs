// The simple PMI-1 wire protocol server of one shell (RFC 13; flux-core libpmi/simple_server.c and
// shell/pmi/pmi.c): each local task talks to it over its own PMI_FD socket.
using System.Globalization;
using Flux.Abstractions;

namespace Flux.ShellPlugins.Pmi;

/// <summary>
/// Serves the PMI-1 wire commands of the local tasks of one job: init, get_maxes, get_appnum,
/// get_my_kvsname, get_universe_size, put, get, barrier_in, finalize and abort; publish_name,
/// unpublish_name, lookup_name and spawn answer rc=-1 as flux-core's do. PMI-2 programs reach it
/// through a PMI-2 library that speaks this protocol (flux-core's libpmi2.so does): like flux-core's
/// shell, the server does not speak the PMI-2 wire protocol, and answers an init asking for version
/// 2 with version 1.1. Keys are put into this shell's pending set, exchanged with the job's other
/// shells when all local tasks have entered a barrier (<see cref="IPmiExchange"/>), and read from
/// node-local keys first, then pending ones, then exchanged ones.
/// </summary>
public sealed class SimplePmiServer
{
    /// <summary>The buffer sizes PMI-1 clients are told (get_maxes): names, keys and values are shorter by one (the C string's NUL).</summary>
    public const int KvsNameMax = 64;

    public const int KeyMax = 64;

    public const int ValueMax = 1024;

    // A request longer than any valid one (name + key + value + the words around them) plus room
    // for a value that is too long, so that such a put gets its rc=7 rather than a protocol error.
    private const int LineMax = 16 * 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _locals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _global = new(StringComparer.Ordinal);
    private readonly string _kvsName;
    private readonly int _universeSize;
    private readonly int _localSize;
    private readonly IPmiExchange _exchange;
    private int _entered;
    private TaskCompletionSource<int> _barrier = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="kvsName">What get_my_kvsname answers: flux-core gives the job id in F58, which a nested broker takes as its jobid attribute.</param>
    /// <param name="universeSize">Tasks in the whole job.</param>
    /// <param name="localSize">Tasks of the job under this shell: a barrier is complete here once this many have entered it.</param>
    /// <param name="exchange">How a complete local barrier reaches the job's other shells.</param>
    public SimplePmiServer(string kvsName, int universeSize, int localSize, IPmiExchange exchange)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(localSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(universeSize, localSize);
        _kvsName = kvsName;
        _universeSize = universeSize;
        _localSize = localSize;
        _exchange = exchange;
    }

    /// <summary>Protocol telemetry ("C: request" and "S: response" with the task's rank), for the shell's verbose log.</summary>
    public Action<int, string>? Trace { get; init; }

    /// <summary>Problems worth a warning in the job's log, such as a failed exchange.</summary>
    public Action<string>? Warn { get; init; }

    /// <summary>A task called PMI_Abort: (rank, exit code, message or empty). The server sends no response, as flux-core's does not.</summary>
    public Action<int, int, string>? Abort { get; init; }

    /// <summary>
    /// Adds a key every local task can get and that is never exchanged: what the shell itself knows,
    /// such as PMI_process_mapping. Keys tasks put with the prefix <c>local::</c> are kept the same way.
    /// </summary>
    public void PutLocal(string key, string value)
    {
        lock (_lock)
        {
            _locals[key] = value;
        }
    }

    /// <summary>
    /// Serves one task's requests until its end of <paramref name="channel"/> closes or is reset (a
    /// task keeps it after finalize, and may init again). Throws <see cref="FluxException"/> (EPROTO) on a request
    /// that is not the PMI-1 wire protocol: flux-core's shell then dies, failing the job. It continues
    /// in the caller's synchronization context (the shell's loop), where the callbacks then run too.
    /// </summary>
    public async Task ServeAsync(int rank, Stream channel, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        try
        {
            await ServeLinesAsync(rank, channel, ct).ConfigureAwait(true);
        }
        catch (IOException ex)
        {
            // A killed task resets its end (ECONNRESET) when it had unread responses: as at end of
            // stream, nothing more can come from it, and flux-core only traces it.
            Trace?.Invoke(rank, "C: pmi read error: " + ex.Message);
        }
    }

    private async Task ServeLinesAsync(int rank, Stream channel, CancellationToken ct)
    {
        var reader = new PmiLineReader(channel, LineMax);
        var spawning = false;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(true) is { } line)
        {
            Trace?.Invoke(rank, "C: " + line);
            string? response;
            if (spawning)
            {
                // spawn is a multi-line command (mcmd=spawn ... endcmd) that flux-core refuses once it ends.
                spawning = line != "endcmd";
                response = spawning ? null : "cmd=spawn_result rc=-1";
            }
            else if (PmiKeyval.Is(line, "mcmd", "spawn"))
            {
                spawning = true;
                response = null;
            }
            else
            {
                response = await RespondAsync(rank, line, ct).ConfigureAwait(true);
            }
            if (response is not null)
            {
                Trace?.Invoke(rank, "S: " + response);
                await channel.WriteAsync(PmiLineReader.Encoding.GetBytes(response + "\n"), ct).ConfigureAwait(true);
                await channel.FlushAsync(ct).ConfigureAwait(true);
            }
        }
    }

    private async ValueTask<string?> RespondAsync(int rank, string line, CancellationToken ct)
    {
        var cmd = PmiKeyval.Word(line, "cmd") ?? throw ProtocolError(rank, line);
        switch (cmd)
        {
            case "init":
                if (!PmiKeyval.TryInt(line, "pmi_version", out var version) || !PmiKeyval.TryInt(line, "pmi_subversion", out var subversion)
                    || version < 0 || subversion < 0)
                {
                    throw ProtocolError(rank, line);
                }
                return version < 1 || (version == 1 && subversion < 1)
                    ? "cmd=response_to_init rc=-1"
                    : "cmd=response_to_init rc=0 pmi_version=1 pmi_subversion=1";
            case "get_maxes":
                return Invariant($"cmd=maxes rc=0 kvsname_max={KvsNameMax} keylen_max={KeyMax} vallen_max={ValueMax}");
            case "get_appnum":
                return "cmd=appnum rc=0 appnum=0";
            case "get_my_kvsname":
                return "cmd=my_kvsname rc=0 kvsname=" + _kvsName;
            case "get_universe_size":
                return Invariant($"cmd=universe_size rc=0 size={_universeSize}");
            case "put":
                return "cmd=put_result rc=" + Put(rank, line).ToString(CultureInfo.InvariantCulture);
            case "get":
                return Get(rank, line);
            case "barrier_in":
                return "cmd=barrier_out rc=" + (await BarrierAsync(ct).ConfigureAwait(true)).ToString(CultureInfo.InvariantCulture);
            case "finalize":
                return "cmd=finalize_ack rc=0";
            case "abort":
                // PMI-1 clients send exitcode (MPICH also error_msg, last since it may hold spaces).
                Abort?.Invoke(rank, PmiKeyval.TryInt(line, "exitcode", out var code) ? code : 1, PmiKeyval.String(line, "error_msg") ?? string.Empty);
                return null;
            case "publish_name":
                return "cmd=publish_result rc=-1 msg=command not implemented";
            case "unpublish_name":
                return "cmd=unpublish_result rc=-1 msg=command not implemented";
            case "lookup_name":
                return "cmd=lookup_result rc=-1 msg=command not implemented";
            default:
                throw ProtocolError(rank, line);
        }
    }

    private int Put(int rank, string line)
    {
        var name = PmiKeyval.Word(line, "kvsname");
        var key = PmiKeyval.Word(line, "key");
        var value = PmiKeyval.String(line, "value");
        if (name is null || key is null || value is null)
        {
            throw ProtocolError(rank, line);
        }
        // As flux-core, the kvsname is checked for length only: a job has one PMI KVS.
        if (LengthError(name, key) is { } error)
        {
            return error;
        }
        if (value.Length >= ValueMax)
        {
            return PmiResult.InvalidValLength;
        }
        lock (_lock)
        {
            // "local::" keys are node scope, a partial PMI-2 feature flux-core keeps for Cray MPICH.
            (key.StartsWith("local::", StringComparison.Ordinal) ? _locals : _pending)[key] = value;
        }
        return PmiResult.Success;
    }

    private string Get(int rank, string line)
    {
        var name = PmiKeyval.Word(line, "kvsname");
        var key = PmiKeyval.Word(line, "key");
        if (name is null || key is null)
        {
            throw ProtocolError(rank, line);
        }
        if (LengthError(name, key) is { } error)
        {
            return "cmd=get_result rc=" + error.ToString(CultureInfo.InvariantCulture);
        }
        lock (_lock)
        {
            if (_locals.TryGetValue(key, out var value) || _pending.TryGetValue(key, out value) || _global.TryGetValue(key, out value))
            {
                return "cmd=get_result rc=0 value=" + value;
            }
        }
        return "cmd=get_result rc=" + PmiResult.InvalidKey.ToString(CultureInfo.InvariantCulture);
    }

    private static int? LengthError(string name, string key) =>
        name.Length >= KvsNameMax ? PmiResult.InvalidLength
        : key.Length >= KeyMax ? PmiResult.InvalidKeyLength
        : null;

    /// <summary>Waits until every local task has entered, exchanges the keys put meanwhile, and returns the barrier's rc.</summary>
    private async Task<int> BarrierAsync(CancellationToken ct)
    {
        TaskCompletionSource<int> barrier;
        Dictionary<string, string>? pending = null;
        lock (_lock)
        {
            barrier = _barrier;
            if (++_entered == _localSize)
            {
                _entered = 0;
                _barrier = new(TaskCreationOptions.RunContinuationsAsynchronously);
                pending = new(_pending, StringComparer.Ordinal);
            }
        }
        if (pending is not null)
        {
            barrier.SetResult(await ExchangeAsync(pending, ct).ConfigureAwait(true));
        }
        return await barrier.Task.WaitAsync(ct).ConfigureAwait(true);
    }

    private async Task<int> ExchangeAsync(Dictionary<string, string> pending, CancellationToken ct)
    {
        IReadOnlyDictionary<string, string> all;
        try
        {
            all = await _exchange.ExchangeAsync(pending, ct).ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is FluxException or IOException or OperationCanceledException)
        {
            Warn?.Invoke($"exchange failed: {ex.Message}");
            return PmiResult.Fail;
        }
        lock (_lock)
        {
            foreach (var (k, v) in all)
            {
                _global[k] = v;
            }
            foreach (var k in pending.Keys)
            {
                _pending.Remove(k);
            }
        }
        return PmiResult.Success;
    }

    private static FluxException ProtocolError(int rank, string line) =>
        new(Errno.EPROTO, $"PMI-1 wire protocol error: task {rank} sent \"{line}\"");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
