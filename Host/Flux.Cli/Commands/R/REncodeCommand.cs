// flux R encode: print an R object (RFC 20) built from ranks, cores, GPUs and hosts
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class REncodeCommand : Command
{
    public override string Name => "R encode";

    public override string Summary => "Print an R object (RFC 20) built from ranks, cores, GPUs and hosts.";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("ranks", 'r', "IDSET", "Ranks of the R (default: one per --hosts host, or just 0)."),
        new("cores", 'c', "IDS", "Core ids given to each rank (default 0 when neither --cores nor --gpus is given)."),
        new("gpus", 'g', "IDS", "GPU ids given to each rank (default: none)."),
        new("hosts", 'H', "HOSTS", "Host names of the ranks, in rank order (default: this host's name for every rank)."),
        new("property", 'p', "NAME[:RANKS]", "Give property NAME to RANKS (default: all ranks); may be repeated.", Repeatable: true),
        new("local", 'l', null, "Take cores and GPUs from this machine's hwloc topology (not supported yet)."),
        new("xml", 'f', "FILE", "Take cores and GPUs from an hwloc XML file (not supported yet)."),
    ];

    public override string Details => """
        The R is printed as one line of JSON, as flux-core writes it.

        Examples:
          flux R encode --ranks=0-3 --cores=0-7
          flux R encode --hosts='node[0-1]' --cores=0-3 --gpus=0 --property=big:1
        """;

    public override Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var gpusText = args.Get("gpus") ?? "";
        var coresText = args.Get("cores") ?? "";
        if (args.Has("local") || args.Has("xml"))
        {
            throw new FluxException(Errno.ENOSYS, "--local and --xml need hwloc topology discovery (not supported yet); give --cores/--gpus");
        }
        if (gpusText.Length == 0 && coresText.Length == 0)
        {
            coresText = "0";
        }
        var cores = OptionIdSet("cores", coresText);
        var gpus = OptionIdSet("gpus", gpusText);
        IdSet ranks;
        Hostlist hosts;
        if (args.Get("ranks") is { } ranksText)
        {
            ranks = OptionIdSet("ranks", ranksText);
            hosts = HostsOption(args.Get("hosts"), (int)ranks.Count);
        }
        else
        {
            hosts = HostsOption(args.Get("hosts"), args.Has("hosts") ? 0 : 1);
            ranks = hosts.Count == 0 ? IdSet.Empty : IdSet.FromRange(0, (uint)hosts.Count - 1);
        }
        var r = Rv1.Encode(ranks, cores, gpus, hosts);
        if (args.GetAll("property") is { Count: > 0 } props)
        {
            r = RSets.AssignProperties(r, props);
        }
        Console.WriteLine(r.ToString());
        return Task.FromResult(0);
    }

    private static IdSet OptionIdSet(string name, string text) =>
        IdSet.TryParse(text, out var set) ? set : throw Invalid($"Failed to decode {name}='{text}' as idset");

    // As flux-core: without --hosts every rank gets this machine's name; with it the count must match.
    private static Hostlist HostsOption(string? text, int expected)
    {
        if (text is null)
        {
            return new Hostlist(Enumerable.Repeat(System.Net.Dns.GetHostName(), expected));
        }
        if (!Hostlist.TryParse(text, out var hl))
        {
            throw Invalid($"invalid hostlist '{text}'");
        }
        if (expected != 0 && hl.Count != expected)
        {
            throw Invalid($"hostname count in '{text}' does not match nranks ({expected})");
        }
        return hl;
    }
}
