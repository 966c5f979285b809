// flux kvs eventlog get: print the events of the eventlog KEY; with --watch, follow new ones
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class KvsEventlogGetCommand : Command
{
    public override string Name => "kvs eventlog get";

    public override string Summary => "Print the events of the eventlog KEY; with --watch, follow new ones.";

    public override string Usage => "[OPTIONS] KEY";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("watch", 'w', null, "Print events as they are appended, until interrupted."),
        KvsClient.WaitCreateOption,
        new("count", 'c', "COUNT", "Stop after COUNT events."),
        new("unformatted", 'u', null, "Print each event as its JSON line."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var key = args.Positionals[0];
        var ns = KvsClient.Namespace(args);
        var count = args.GetInt("count", 0, 0);
        var raw = args.Has("unformatted");
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        if (!args.Has("watch") && !args.Has("waitcreate"))
        {
            var val = await KvsClient.LookupAsync(h, key, 0, ns, null, ct).ConfigureAwait(false);
            var n = 0;
            foreach (var e in EventlogText.Lines(KvsClient.Bytes(val)))
            {
                Console.WriteLine(EventlogText.Format(e, raw));
                if (count > 0 && ++n >= count)
                {
                    break;
                }
            }
            return 0;
        }
        var flags = KvsClient.WatchAppend | (args.Has("watch") ? KvsClient.Watch : 0) | (args.Has("waitcreate") ? KvsClient.WaitCreate : 0);
        var seen = 0;
        await foreach (var val in KvsClient.WatchAsync(h, key, flags, ns, ct).ConfigureAwait(false))
        {
            foreach (var e in EventlogText.Lines(KvsClient.Bytes(val)))
            {
                Console.WriteLine(EventlogText.Format(e, raw));
                if (count > 0 && ++seen >= count)
                {
                    return 0;
                }
            }
        }
        return 0;
    }
}
