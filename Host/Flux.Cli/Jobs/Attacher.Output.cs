// flux run / flux job attach and the job's output log (RFC 24): data, eof and shell log events.
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Jobs;

internal sealed partial class Attacher
{
    private readonly LineLabels _labels = new();

    /// <summary>Prints the job's output log (RFC 24) as the job-info service sends it, to its end.</summary>
    private async Task FollowOutputAsync(int flags, CancellationToken ct)
    {
        var eofs = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var (_, e) in JobEventWatch.WatchAsync(h, id, "guest.output", flags, ct).ConfigureAwait(false))
            {
                await HandleOutput(e, eofs).ConfigureAwait(false);
            }
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            // No output log: the shell never opened one.
        }
    }

    /// <summary>Prints one output event; returns the number of eof events to expect when it is the header.</summary>
    private async Task<int?> HandleOutput(EventlogEntry e, HashSet<string> eofs)
    {
        var c = e.Context;
        switch (e.Name)
        {
            case "header":
                var counts = c?["count"] as JsonObject;
                return counts?.Sum(kv => kv.Value?.GetValue<int>() ?? 0);
            case "data":
                var stream = c?["stream"]?.GetValue<string>() ?? "stdout";
                var rank = c?["rank"]?.GetValue<string>() ?? "0";
                if (c?["data"]?.GetValue<string>() is { } data)
                {
                    var bytes = c["encoding"]?.GetValue<string>() == "base64" ? Convert.FromBase64String(data) : Encoding.UTF8.GetBytes(data);
                    var w = stream == "stderr" ? _stderr : _stdout;
                    await w.WriteAsync(LabelIo ? _labels.Apply(stream, rank, bytes) : bytes).ConfigureAwait(false);
                    if (stream == "stderr")
                    {
                        await w.FlushAsync().ConfigureAwait(false);
                    }
                }
                if (c?["eof"]?.GetValue<bool>() == true)
                {
                    eofs.Add(stream + ":" + rank);
                }
                break;
            case "log":
                await Console.Error.WriteLineAsync($"flux-shell[{c?["rank"]?.GetValue<int>() ?? 0}]: {LevelName(c?["level"]?.GetValue<int>() ?? 3)}: {c?["message"]?.GetValue<string>()}").ConfigureAwait(false);
                break;
            default:
                break;
        }
        return null;
    }

    private static string LevelName(int level) => level switch
    {
        <= 2 => "FATAL",
        3 => "ERROR",
        4 => "WARN",
        // The shell's log levels (flux-shell-initrc(5)): shell.log is INFO, -o verbose shows DEBUG, verbose=2 TRACE.
        5 or 6 => "INFO",
        7 => "DEBUG",
        _ => "TRACE",
    };
}
