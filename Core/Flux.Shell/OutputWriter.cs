// Job output: the RFC 24 output eventlog in the job's guest namespace, or files named by mustache
// templates; stdout line-buffered and stderr unbuffered by default (flux-shell-options(7)).
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;

namespace Flux.Shell;

internal sealed class OutputWriter : IAsyncDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly IFlux _flux;
    private readonly ShellInfo _info;
    private readonly string _ns;
    private readonly bool _labelIo;
    private readonly HashSet<(string Stream, int Rank)> _midLine = [];
    private readonly TimeSpan _batchTimeout;
    private readonly Dictionary<string, Stream> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Stream, int Rank), string?> _paths = [];
    private readonly Action<Exception> _onFault;
    private KvsTxn _txn = new();
    private Task _flushing = Task.CompletedTask;
    private bool _flushScheduled;
    private bool _immediateScheduled;

    /// <param name="onFault">Runs when a background commit of output fails: that output is lost.</param>
    public OutputWriter(IFlux flux, ShellInfo info, string ns, Action<Exception> onFault)
    {
        _flux = flux;
        _onFault = onFault;
        _info = info;
        _ns = ns;
        _labelIo = info.Flag("label-io");
        _batchTimeout = TimeSpan.FromSeconds(BatchTimeout(info));
    }

    /// <summary>flux-core's default output.batch-timeout: entries are committed at most this long after they were written.</summary>
    public const double DefaultBatchTimeout = 0.5;

    /// <summary>output.batch-timeout in seconds (a number, or an FSD string); the default when unset or invalid.</summary>
    public static double BatchTimeout(ShellInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return info.Option("output.batch-timeout") switch
        {
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.GetValue<double>() is >= 0 and var d && double.IsFinite(d) => d,
            JsonValue v when v.TryGetValue(out string? text) && Fsd.TryParse(text, out var secs) => secs,
            _ => DefaultBatchTimeout,
        };
    }

    /// <summary>Whether file output of a stream is labelled with the task rank (output.STREAM.label, or label-io).</summary>
    private bool Labelled(string stream) => _labelIo || _info.Flag($"output.{stream}.label");

    /// <summary>Whether stdout is line-buffered (the default) or sent as written.</summary>
    public bool StdoutLineBuffered => _info.Option("output.stdout.buffer.type")?.GetValue<string>() != "none";

    /// <summary>Opens output files and writes the eventlog header (and redirect events).</summary>
    public void Open()
    {
        Append(new EventlogEntry(Now, "header", new JsonObject
        {
            ["version"] = 1,
            ["encoding"] = new JsonObject { ["stdout"] = "UTF-8", ["stderr"] = "UTF-8" },
            ["count"] = new JsonObject { ["stdout"] = _info.NTasks, ["stderr"] = _info.NTasks },
            ["options"] = new JsonObject(),
        }));
        foreach (var stream in new[] { "stdout", "stderr" })
        {
            var template = _info.Option($"output.{stream}.type")?.GetValue<string>() == "file"
                ? _info.Option($"output.{stream}.path")?.GetValue<string>()
                : null;
            for (var rank = 0; rank < _info.NTasks; rank++)
            {
                string? path = null;
                if (template is not null)
                {
                    path = Mustache.Render(template, _info.Id, _info.Name, _info.NTasks, _info.NNodes,
                        Mustache.IsPerTask(template) ? rank : null, _info.R.Nodelist.Count > 0 ? _info.R.Nodelist[0] : Environment.MachineName);
                    if (!Path.IsPathRooted(path))
                    {
                        path = Path.Combine(_info.Cwd, path);
                    }
                    if (!_files.ContainsKey(path))
                    {
                        var mode = _info.Option("output.mode")?.GetValue<string>() == "append" ? FileMode.Append : FileMode.Create;
                        _files[path] = new FileStream(path, mode, FileAccess.Write, FileShare.ReadWrite);
                    }
                    if (rank == 0 || Mustache.IsPerTask(template))
                    {
                        Append(new EventlogEntry(Now, "redirect", new JsonObject { ["stream"] = stream, ["rank"] = Mustache.IsPerTask(template) ? rank.ToString(System.Globalization.CultureInfo.InvariantCulture) : "all", ["path"] = path }));
                    }
                }
                _paths[(stream, rank)] = path;
            }
        }
        // The header (and redirects) at once: readers of the eventlog wait for the header.
        ScheduleFlush(immediate: true);
    }

    /// <summary>Output from one task; the bytes are written as received (UTF-8 text, else base64).</summary>
    public void Data(string stream, int rank, ReadOnlySpan<byte> data)
    {
        if (_paths.TryGetValue((stream, rank), out var path) && path is not null)
        {
            var f = _files[path];
            if (Labelled(stream))
            {
                WriteLabelled(f, stream, rank, data);
            }
            else
            {
                f.Write(data);
            }
            return;
        }
        var ctx = new JsonObject { ["stream"] = stream, ["rank"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        try
        {
            ctx["data"] = StrictUtf8.GetString(data);
        }
        catch (DecoderFallbackException)
        {
            ctx["data"] = Convert.ToBase64String(data);
            ctx["encoding"] = "base64";
        }
        Append(new EventlogEntry(Now, "data", ctx));
    }

    /// <summary>Writes data with "RANK: " before each line; a line may span several writes.</summary>
    private void WriteLabelled(Stream f, string stream, int rank, ReadOnlySpan<byte> data)
    {
        var label = Encoding.UTF8.GetBytes($"{rank}: ");
        while (data.Length > 0)
        {
            if (!_midLine.Contains((stream, rank)))
            {
                f.Write(label);
            }
            var nl = data.IndexOf((byte)'\n');
            var line = nl < 0 ? data : data[..(nl + 1)];
            f.Write(line);
            if (nl < 0)
            {
                _midLine.Add((stream, rank));
            }
            else
            {
                _midLine.Remove((stream, rank));
            }
            data = data[line.Length..];
        }
    }

    /// <summary>The end of one task's stream.</summary>
    public void Eof(string stream, int rank) =>
        Append(new EventlogEntry(Now, "data", new JsonObject { ["stream"] = stream, ["rank"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture), ["eof"] = true }));

    /// <summary>A shell log message (RFC 24 log event), shown by attach.</summary>
    public void Log(int level, string message, int? rank = null)
    {
        var ctx = new JsonObject { ["level"] = level, ["message"] = message, ["component"] = "shell" };
        if (rank is int r)
        {
            ctx["rank"] = r;
        }
        Append(new EventlogEntry(Now, "log", ctx));
    }

    private bool _inputHeader;

    /// <summary>Records input from attach in the RFC 24 input eventlog (header first).</summary>
    public void Input(JsonObject req)
    {
        if (!_inputHeader)
        {
            _inputHeader = true;
            _txn.Append("input", new EventlogEntry(Now, "header", new JsonObject
            {
                ["version"] = 1,
                ["encoding"] = new JsonObject { ["stdin"] = "base64" },
                ["count"] = new JsonObject { ["stdin"] = 1 },
                ["options"] = new JsonObject(),
            }).ToLine());
        }
        var ctx = new JsonObject { ["stream"] = "stdin", ["rank"] = req["rank"]?.GetValue<string>() ?? "all" };
        if (req["data"]?.GetValue<string>() is { } data)
        {
            ctx["data"] = data;
            if (req["encoding"]?.GetValue<string>() is { } enc)
            {
                ctx["encoding"] = enc;
            }
        }
        if (req["eof"]?.GetValue<bool>() == true)
        {
            ctx["eof"] = true;
        }
        _txn.Append("input", new EventlogEntry(Now, "data", ctx).ToLine());
        ScheduleFlush(immediate: true);
    }

    /// <summary>Commits everything written so far.</summary>
    public async Task FlushAsync()
    {
        _flushScheduled = _immediateScheduled = false;
        await _flushing.ConfigureAwait(true);
        if (_txn.Count == 0)
        {
            // A flush that woke first may have taken the entries and started their commit: "everything
            // committed" (DisposeAsync, before the job's output is copied) must wait for it too.
            await _flushing.ConfigureAwait(true);
            return;
        }
        var txn = _txn;
        _txn = new KvsTxn();
        _flushing = _flux.KvsCommitAsync(txn, _ns);
        await _flushing.ConfigureAwait(true);
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync().ConfigureAwait(true);
        foreach (var f in _files.Values)
        {
            await f.DisposeAsync().ConfigureAwait(true);
        }
    }

    private static double Now => EventlogEntry.Now();

    private void Append(EventlogEntry e)
    {
        _txn.Append("output", e.ToLine());
        ScheduleFlush();
    }

    private void ScheduleFlush(bool immediate = false)
    {
        // Input and the header do not wait for a batch of output already under way.
        if (immediate ? _immediateScheduled : _flushScheduled)
        {
            return;
        }
        _flushScheduled = true;
        _immediateScheduled |= immediate;
        _flux.Background(FlushSoonAsync(immediate ? TimeSpan.Zero : _batchTimeout), $"job {_info.Id}: committing output", onFault: _onFault);
    }

    /// <summary>
    /// Commits what has been written after the batch timeout (output.batch-timeout), or at the end of
    /// this turn of the loop when it is 0: everything the tasks wrote in that time goes in one commit.
    /// </summary>
    private async Task FlushSoonAsync(TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay).ConfigureAwait(true);
        }
        else
        {
            await Task.Yield();
        }
        try
        {
            await FlushAsync().ConfigureAwait(true);
        }
        catch (FluxException)
        {
            // The namespace is gone (job torn down): output after that point has nowhere to go.
        }
    }
}
