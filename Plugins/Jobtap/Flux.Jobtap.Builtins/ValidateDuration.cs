// .validate-duration: rejects at job.validate a duration longer than the instance has left (resource.R's expiration).
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace Flux.Jobtap.Builtins;

/// <summary>
/// As flux-core's validate-duration.c: watches <c>resource.R</c> for <c>execution.expiration</c>
/// (an instance started by a batch or alloc job ends then) and refuses a job whose duration is
/// longer than the time left. No expiration (0) or no duration means no check.
/// </summary>
[FluxPlugin(".validate-duration", PluginKind.Jobtap)]
public sealed class ValidateDuration(IFlux flux, ILogger<ValidateDuration> log, TimeProvider? time = null) : IFluxPlugin, IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly CancellationTokenSource _stop = new();
    private double _expiration;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("job.validate", OnValidate);
        plugin.Handle("plugin.query", (_, args) =>
        {
            args.Out["expiration"] = _expiration;
            return true;
        });
        flux.Background(WatchAsync(_stop.Token), "resource.R watch");
    }

    private bool OnValidate(string topic, PluginArgs args)
    {
        if (_expiration <= 0)
        {
            return true;
        }
        var duration = args.In["jobspec"]?["attributes"]?["system"]?["duration"] is JsonValue d && d.TryGetValue(out double s) ? s : 0;
        if (duration <= 0)
        {
            return true;
        }
        var left = _expiration - _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        return duration <= left
            || args.Error($"job duration ({Short(duration)}) exceeds remaining instance lifetime ({Short(Math.Max(left, 0))})");
    }

    // fsd_format_duration_ex with precision 2, as the plugin's message shows it: 3600 → 1h, 59.87 → 60s.
    private static string Short(double seconds)
    {
        var (value, unit) = seconds switch
        {
            < 60 => (seconds, "s"),
            < 3600 => (seconds / 60, "m"),
            < 86400 => (seconds / 3600, "h"),
            _ => (seconds / 86400, "d"),
        };
        var digits = value >= 10 ? 0 : 1;
        return Math.Round(value, digits).ToString(value >= 100 ? "F0" : "G2", CultureInfo.InvariantCulture) + unit;
    }

    private async Task WatchAsync(CancellationToken token)
    {
        try
        {
            await foreach (var r in Watch(token).ConfigureAwait(true))
            {
                var expiration = r?["execution"]?["expiration"] is JsonValue v && v.TryGetValue(out double e) ? e : 0;
                if (Math.Abs(expiration - _expiration) >= 1e-5)
                {
                    _expiration = expiration;
                    ValidateDurationLog.Expiration(log, expiration);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    // kvs-watch of resource.R, created or not yet; leaving early cancels the watch in kvs-watch.
    private async IAsyncEnumerable<JsonNode?> Watch([EnumeratorCancellation] CancellationToken token)
    {
        var request = Message.Request("kvs-watch.lookup", new JsonObject
        {
            ["key"] = "resource.R",
            ["namespace"] = "primary",
            ["flags"] = (int)(KvsFlags.Watch | KvsFlags.WaitCreate),
        });
        try
        {
            await foreach (var response in flux.StreamAsync(request, token).ConfigureAwait(true))
            {
                var val = TreeObject.ValBytes(response.GetJson()["val"]);
                yield return val.Length == 0 ? null : JsonNode.Parse(val);
            }
        }
        finally
        {
            if (token.IsCancellationRequested && request.Matchtag != NodeId.MatchtagNone)
            {
                var cancel = Message.Request("kvs-watch.cancel", new JsonObject { ["matchtag"] = request.Matchtag });
                cancel.Flags |= MessageFlags.NoResponse;
                try
                {
                    flux.Send(cancel);
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or FluxException)
                {
                    // job-manager's connection closed first (its own removal): no watch is left to cancel.
                }
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
