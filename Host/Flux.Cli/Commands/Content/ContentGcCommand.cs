// flux content gc: offline: remove the blobs of a stopped instance's statedir that its KVS no longer reaches
using Flux.Abstractions;
using Flux.Client;

namespace Flux.Cli.Commands;

internal sealed class ContentGcCommand : Command
{
    public override string Name => "content gc";

    public override string Summary => "Offline: remove the blobs of a stopped instance's statedir that its KVS no longer reaches.";

    public override string Usage => "--statedir=DIR";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("statedir", 'S', "DIR", "The statedir of a stopped instance (holding content.sqlite)."),
        CommonOptions.Quiet,
    ];

    public override string Details => """
        The instance must be stopped; for a running one use 'flux shutdown --gc'. The KVS is loaded
        from its last checkpoint, the blobs it reaches are kept and the others removed.

        Example: flux content gc --statedir=/var/lib/flux
        """;

    public override Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var dir = args.Get("statedir") ?? throw new UsageException("--statedir=DIR is required");
        var db = Path.Combine(dir, "content.sqlite");
        if (!File.Exists(db))
        {
            throw new FluxException(Errno.ENOENT, $"{db}: No such file or directory");
        }
        // A broker with only the storage modules runs the collection: see ContentGcInstanceCommand.
        var broker = new BrokerCommandLine { ProgramName = "flux-content" };
        broker.Attributes["statedir"] = Path.GetFullPath(dir);
        broker.Attributes["broker.rc1_path"] = "content,content-sqlite,kvs";
        broker.InitialProgram = [BrokerExec.FluxExecutable, "content", "gc-instance", .. args.Has("quiet") ? new[] { "--quiet" } : []];
        return Task.FromResult(BrokerExec.Exec(broker));
    }
}
