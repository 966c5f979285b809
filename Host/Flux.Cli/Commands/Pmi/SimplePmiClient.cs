// The simple PMI-1 wire protocol client over PMI_FD (RFC 13; flux-core libpmi/simple_client.c).
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

/// <summary>
/// Talks to the PMI server of the job shell (or any simple PMI server, such as MPICH's Hydra) on the
/// inherited socket named by PMI_FD, one request line and one response line at a time.
/// </summary>
internal sealed class SimplePmiClient : IPmiClient
{
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly Action<string>? _trace;

    private SimplePmiClient(Socket socket, int rank, int size, Action<string>? trace)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, Encoding.Latin1);
        Rank = rank;
        Size = size;
        _trace = trace;
    }

    public int Rank { get; }

    public int Size { get; }

    public string Name { get; private set; } = string.Empty;

    /// <summary>
    /// Opens the service named by PMI_FD, PMI_RANK and PMI_SIZE and initializes it; null when the
    /// environment names none (so the caller may fall back to another method).
    /// </summary>
    public static async Task<SimplePmiClient?> OpenAsync(Func<string, string?> getenv, Action<string>? trace, CancellationToken ct)
    {
        if (getenv("PMI_FD") is not { } fdText || getenv("PMI_RANK") is not { } rankText || getenv("PMI_SIZE") is not { } sizeText)
        {
            return null;
        }
        if (!int.TryParse(fdText, CultureInfo.InvariantCulture, out var fd) || fd < 0
            || !int.TryParse(rankText, CultureInfo.InvariantCulture, out var rank) || rank < 0
            || !int.TryParse(sizeText, CultureInfo.InvariantCulture, out var size) || size < 1)
        {
            throw new FluxException(Errno.EINVAL, $"simple: PMI_FD={fdText} PMI_RANK={rankText} PMI_SIZE={sizeText} is not a PMI service");
        }
        Socket socket;
        try
        {
            socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        }
        catch (SocketException ex)
        {
            throw new FluxException(Errno.EBADF, $"simple: PMI_FD={fd}: {ex.Message}");
        }
        var client = new SimplePmiClient(socket, rank, size, trace);
        try
        {
            await client.InitializeAsync(ct).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task BarrierAsync(CancellationToken ct) => await AskAsync("barrier", "cmd=barrier_in", "barrier_out", ct).ConfigureAwait(false);

    public async Task PutAsync(string key, string value, CancellationToken ct) =>
        await AskAsync($"put {key}", $"cmd=put kvsname={Name} key={key} value={value}", "put_result", ct).ConfigureAwait(false);

    public async Task<string> GetAsync(string key, CancellationToken ct)
    {
        var response = await AskAsync($"get {key}", $"cmd=get kvsname={Name} key={key}", "get_result", ct).ConfigureAwait(false);
        var at = response.IndexOf(" value=", StringComparison.Ordinal);
        return at < 0 ? throw Failure($"get {key}", "response without a value") : response[(at + 7)..];
    }

    public async Task AbortAsync(string message, CancellationToken ct)
    {
        // The server answers nothing: the shell raises an exception on the job, which kills the tasks.
        await SendAsync($"cmd=abort exitcode=1 error_msg={message}", ct).ConfigureAwait(false);
    }

    public async Task FinalizeAsync(CancellationToken ct) => await AskAsync("finalize", "cmd=finalize", "finalize_ack", ct).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private async Task InitializeAsync(CancellationToken ct)
    {
        var init = await AskAsync("initialize", "cmd=init pmi_version=1 pmi_subversion=1", "response_to_init", ct).ConfigureAwait(false);
        if (Field(init, "pmi_version") != "1" || Field(init, "pmi_subversion") != "1")
        {
            throw Failure("initialize", $"server speaks {init}");
        }
        await AskAsync("initialize", "cmd=get_maxes", "maxes", ct).ConfigureAwait(false);
        Name = Field(await AskAsync("initialize", "cmd=get_my_kvsname", "my_kvsname", ct).ConfigureAwait(false), "kvsname")
            ?? throw Failure("initialize", "no kvsname");
        _trace?.Invoke($"simple: initialize: rank={Rank} size={Size} name={Name}: success");
    }

    /// <summary>Sends a request and reads its response; throws with pmi_strerror's text when rc is not 0.</summary>
    private async Task<string> AskAsync(string what, string request, string expected, CancellationToken ct)
    {
        await SendAsync(request, ct).ConfigureAwait(false);
        string? response;
        try
        {
            response = await _reader.ReadLineAsync(ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw Failure(what, ex.Message);
        }
        _trace?.Invoke("simple: S: " + response);
        if (response is null)
        {
            throw Failure(what, "the PMI server closed the connection");
        }
        if (Field(response, "cmd") != expected)
        {
            throw Failure(what, $"unexpected response {response}");
        }
        var rc = Field(response, "rc") is { } rcText && int.TryParse(rcText, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return rc == 0 ? response : throw Failure(what, Describe(rc));
    }

    private async Task SendAsync(string request, CancellationToken ct)
    {
        _trace?.Invoke("simple: C: " + request);
        try
        {
            await _stream.WriteAsync(Encoding.Latin1.GetBytes(request + "\n"), ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw Failure(request.Split(' ')[0], ex.Message);
        }
    }

    /// <summary>A word-valued field of a response line.</summary>
    private static string? Field(string line, string key)
    {
        foreach (var word in line.Split(' '))
        {
            if (word.StartsWith(key + "=", StringComparison.Ordinal))
            {
                return word[(key.Length + 1)..];
            }
        }
        return null;
    }

    private static FluxException Failure(string what, string why) => new(Errno.EPROTO, $"{what}: {why}");

    /// <summary>flux-core's pmi_strerror texts for the PMI-1 result codes (pmi.h).</summary>
    private static string Describe(int rc) => rc switch
    {
        -1 => "operation failed",
        1 => "PMI not initialized",
        2 => "input buffer not large enough",
        3 => "invalid argument",
        4 => "invalid key argument",
        5 => "invalid key length argument",
        6 => "invalid val argument",
        7 => "invalid val length argument",
        8 => "invalid length argument",
        9 => "invalid number of arguments",
        10 => "invalid args argument",
        11 => "invalid num_parsed length argument",
        12 => "invalid keyvalp argument",
        13 => "invalid size argument",
        _ => $"pmi error {rc}",
    };
}
