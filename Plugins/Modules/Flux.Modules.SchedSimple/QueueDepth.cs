// sched-simple's module arguments: queue-depth=N|unlimited (default 8) or legacy mode=unlimited|limited=N, as RFC 27 sched-ready modes.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Modules.SchedSimple;

/// <summary>How many alloc requests the job manager may have outstanding (null: unlimited).</summary>
internal sealed record QueueDepth(int? Limit)
{
    private static readonly string[] Known = ["queue-depth", "mode", "log-level"];

    /// <summary>No limit: the job manager sends every pending job.</summary>
    public static QueueDepth Unlimited { get; } = new((int?)null);

    /// <summary>The <c>job-manager.sched-ready</c> payload.</summary>
    public JsonObject ReadyPayload() => Limit is { } n
        ? new JsonObject { ["mode"] = "limited", ["limit"] = n }
        : new JsonObject { ["mode"] = "unlimited" };

    /// <inheritdoc />
    public override string ToString() => Limit is { } n ? $"limited={n}" : "unlimited";

    /// <summary>Reads the arguments; EINVAL for an unknown argument or a bad value.</summary>
    public static QueueDepth Parse(ModuleArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        foreach (var word in args.Words)
        {
            var key = word.Split('=', 2)[0];
            if (Array.IndexOf(Known, key) < 0)
            {
                throw new FluxException(Errno.EINVAL, $"unknown argument '{word}' (expected queue-depth=N|unlimited or mode=unlimited|limited=N)");
            }
        }
        var depth = new QueueDepth(8);
        if (args.Get("mode") is { } mode)
        {
            depth = mode == "unlimited" ? Unlimited
                : mode.StartsWith("limited=", StringComparison.Ordinal) ? new QueueDepth(Positive(mode["limited=".Length..], "mode=limited"))
                : throw new FluxException(Errno.EINVAL, $"mode={mode}: expected unlimited or limited=N");
        }
        if (args.Get("queue-depth") is { } qd)
        {
            depth = qd == "unlimited" ? Unlimited : new QueueDepth(Positive(qd, "queue-depth"));
        }
        return depth;
    }

    private static int Positive(string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FluxException(Errno.EINVAL, $"{what}={text}: expected a positive integer");
}
