// flux kvs eventlog wait-event: wait until the event NAME is in the eventlog KEY, then print it
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class KvsEventlogWaitEventCommand : Command
{
    public override string Name => "kvs eventlog wait-event";

    public override string Summary => "Wait until the event NAME is in the eventlog KEY, then print it.";

    public override string Usage => "[OPTIONS] KEY NAME";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("timeout", 't', "DURATION", "Fail if the event has not been posted within DURATION (seconds or FSD)."),
        KvsClient.WaitCreateOption,
        new("unformatted", 'u', null, "Print the event as its JSON line."),
        CommonOptions.Quiet,
        new("verbose", 'v', null, "Print every event up to and including NAME."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        var (key, name) = (args.Positionals[0], args.Positionals[1]);
        var timeout = args.GetSeconds("timeout", -1);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Any FSD: CancelAfter alone throws past 49.7 days.
        using var timer = timeout >= 0 ? LongTimer.CancelAfter(cts, timeout, TimeProvider.System) : null;
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var flags = KvsClient.Watch | KvsClient.WatchAppend | (args.Has("waitcreate") ? KvsClient.WaitCreate : 0);
        try
        {
            await foreach (var val in KvsClient.WatchAsync(h, key, flags, KvsClient.Namespace(args), cts.Token).ConfigureAwait(false))
            {
                foreach (var e in EventlogText.Lines(KvsClient.Bytes(val)))
                {
                    var match = e["name"]?.GetValue<string>() == name;
                    if (!args.Has("quiet") && (match || args.Has("verbose")))
                    {
                        Console.WriteLine(EventlogText.Format(e, args.Has("unformatted")));
                    }
                    if (match)
                    {
                        return 0;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new FluxException(Errno.ETIMEDOUT, $"{key}: timed out after {args.Get("timeout")} waiting for event '{name}'");
        }
        throw new FluxException(Errno.ENODATA, $"{key}: the watch ended before event '{name}' was posted");
    }
}
