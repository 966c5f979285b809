// flux kvs dir: list a directory as 'key = value' lines ('key.' for a directory)
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class KvsDirCommand : Command
{
    public override string Name => "kvs dir";

    public override string Summary => "List a directory as 'key = value' lines ('key.' for a directory).";

    public override string Usage => "[OPTIONS] [KEY]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("recursive", 'R', null, "List subdirectories too."),
        new("keys", 'd', null, "Print keys only, not values."),
        new("width", 'w', "COLS", "Truncate lines to COLS characters (0: never; default: the terminal's width)."),
    ];

    public override string Details => """
        KEY defaults to the root, ".". Examples:
          flux kvs dir
          flux kvs dir -R job
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        var key = args.Positionals.Count > 0 ? args.Positionals[0] : ".";
        var width = args.GetInt("width", Console.IsOutputRedirected ? 0 : Math.Max(Console.WindowWidth, 20), 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await ListAsync(h, key, KvsClient.Namespace(args), args.Has("recursive"), args.Has("keys"), width, ct).ConfigureAwait(false);
        return 0;
    }

    public static async Task ListAsync(FluxHandle h, string key, string? ns, bool recursive, bool keysOnly, int width, CancellationToken ct)
    {
        JsonObject dir;
        try
        {
            dir = await KvsClient.LookupAsync(h, key, KvsClient.ReadDir, ns, null, ct).ConfigureAwait(false);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOTDIR)
        {
            throw new FluxException(Errno.ENOTDIR, $"{key}: Not a directory");
        }
        var prefix = key is "." or "" ? string.Empty : key.TrimEnd('.') + ".";
        var entries = dir["data"] as JsonObject ?? [];
        foreach (var (name, entry) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var full = prefix + name;
            var type = KvsClient.TypeOf(entry);
            if (KvsClient.IsDir(entry))
            {
                if (recursive)
                {
                    await ListAsync(h, full, ns, recursive, keysOnly, width, ct).ConfigureAwait(false);
                }
                else
                {
                    Console.WriteLine(full + ".");
                }
                continue;
            }
            if (keysOnly)
            {
                Console.WriteLine(full);
                continue;
            }
            string value;
            if (type == "symlink")
            {
                var target = entry!["data"]!["target"]!.GetValue<string>();
                var tns = entry["data"]!["namespace"]?.GetValue<string>();
                value = "-> " + (tns is null ? target : tns + "::" + target);
            }
            else
            {
                var val = type == "val" ? entry! : await KvsClient.LookupAsync(h, full, 0, ns, null, ct).ConfigureAwait(false);
                value = KvsClient.Display(KvsClient.Bytes(val));
            }
            var line = $"{full} = {value}";
            if (width > 0 && line.Length > width)
            {
                line = line[..Math.Max(width - 3, 0)] + "...";
            }
            Console.WriteLine(line);
        }
    }
}
