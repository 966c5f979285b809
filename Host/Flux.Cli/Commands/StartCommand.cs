// flux start: run a broker with a private rundir, run COMMAND in it, exit with COMMAND's code.
using Flux.Client;

namespace Flux.Cli.Commands;

internal sealed class StartCommand : Command
{
    public override string Name => "start";

    public override string Summary => "Start a Flux instance and run COMMAND (or an interactive shell) in it.";

    public override string Usage => "[OPTIONS] [COMMAND [ARGS...]]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("test-size", 's', "N", "Number of brokers (only 1 is supported on this build)."),
        new("broker-opts", 'o', "OPTS", "Pass options to the broker (-Skey=val, -c DIR), comma-separated.", Repeatable: true),
        new("setattr", 'S', "KEY=VAL", "Set a broker attribute (rundir, statedir, log-stderr-level, ...).", Repeatable: true),
        new("config-path", 'c', "DIR", "Read the configuration from every *.toml in DIR (or one file)."),
        new("verbose", 'v', null, "Print the broker command line before running it."),
    ];

    public override string Details => """
        The instance lives for as long as COMMAND runs: its exit code is flux start's. With no
        COMMAND and a terminal on stdin, $SHELL runs interactively. Exit status 70 means a plugin
        ended the broker (it says which), 1 a start-up error. COMMAND gets SIGHUP when the broker
        dies, even by kill -9.

        Examples:
          flux start flux module list
          flux start --config-path=/etc/flux/system flux config get
          flux start -S log-stderr-level=6 sh -c 'flux ping --count 3 broker'
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        var size = args.GetInt("test-size", 1, 1);
        if (size != 1)
        {
            throw new UsageException($"--test-size={size}: only single-broker instances are supported by this build");
        }
        var options = new BrokerCommandLine { ConfigPath = args.Get("config-path"), ProgramName = "flux-start" };
        foreach (var kv in args.GetAll("setattr"))
        {
            AddAttr(options, kv);
        }
        foreach (var opts in args.GetAll("broker-opts"))
        {
            ParseBrokerOpts(options, opts);
        }
        if (args.Positionals.Count > 0)
        {
            options.InitialProgram = args.Positionals;
        }
        else if (!Console.IsInputRedirected)
        {
            options.InitialProgram = [Environment.GetEnvironmentVariable("SHELL") ?? "/bin/sh"];
        }
        if (args.Has("verbose"))
        {
            await Console.Error.WriteLineAsync($"flux-start: broker with {string.Join(' ', options.Attributes.Select(kv => $"-S{kv.Key}={kv.Value}"))} {string.Join(' ', options.InitialProgram ?? [])}").ConfigureAwait(false);
        }
        return BrokerExec.Exec(options);
    }

    private static void AddAttr(BrokerCommandLine options, string kv)
    {
        try
        {
            options.SetAttribute(kv);
        }
        catch (ArgumentException)
        {
            throw new UsageException($"--setattr '{kv}': expected KEY=VALUE");
        }
    }

    // --broker-opts: flux-broker options separated by commas ("-Sstatedir=/tmp/s,-c,/etc/flux").
    private static void ParseBrokerOpts(BrokerCommandLine options, string opts)
    {
        var words = opts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int used;
        try
        {
            used = options.ParseArgs(words);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--broker-opts: {ex.Message}");
        }
        if (used < words.Length)
        {
            throw new UsageException($"--broker-opts: unsupported broker option '{words[used]}' (supported: -Skey=val, -c DIR)");
        }
    }
}
