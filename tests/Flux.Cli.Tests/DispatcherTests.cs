// The command table, help text and usage errors of `flux`, run in-process with the console captured.
namespace Flux.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class DispatcherTests
{
    private static async Task<(int Rc, string Out, string Err)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var o = new StringWriter();
        using var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            var rc = await Dispatcher.RunAsync(args);
            return (rc, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    [Fact]
    public void Commands_NamesAreUnique()
    {
        var names = Dispatcher.Commands.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.True(names.Count >= 80, $"only {names.Count} commands were found");
    }

    [Fact]
    public void Commands_OptionNames_AreUniqueWithinEachCommand()
    {
        foreach (var c in Dispatcher.Commands)
        {
            var longs = c.AllOptions.Select(o => o.Long).ToList();
            Assert.True(longs.Count == longs.Distinct(StringComparer.Ordinal).Count(), $"flux {c.Name}: a long option is given twice");
            var shorts = c.AllOptions.Where(o => o.Short is not null).Select(o => o.Short!.Value).ToList();
            Assert.True(shorts.Count == shorts.Distinct().Count(), $"flux {c.Name}: a short option is given twice");
        }
    }

    [Fact]
    public async Task Help_SharedOptionSets_PrintAsEachCommandsOwn()
    {
        var (rc, stdout, _) = await RunAsync("resource", "info", "--help");
        Assert.Equal(0, rc);
        Assert.Equal("""
            Usage: flux resource info [-s STATES] [-q QUEUE] [-i TARGETS]
            Show a one-line summary of the scheduler view: N Nodes, C Cores, G GPUs.

              -s, --states=STATE,...  Count resources in these states (default all).
              -q, --queue=QUEUE,...   Include only resources of these queues.
              -i, --include=TARGETS   Include only these ranks (idset) or hosts (hostlist).
              -h, --help              Display this message.

            """.ReplaceLineEndings("\n"), stdout);
        (rc, stdout, _) = await RunAsync("job", "eventlog", "-h");
        Assert.Equal(0, rc);
        Assert.Contains("""
              -f, --format=FORMAT       Output format: text (default) or json.
              -T, --time-format=FORMAT  Time format: raw (default), iso, offset or human.
              -H, --human               Human-readable output: --time-format=human, colored on a terminal.
                  --color=WHEN          Color the output: always, never or auto (default).
              -p, --path=PATH           Eventlog to print: eventlog (default), exec, output, input, or a guest.* key.
            """.ReplaceLineEndings("\n"), stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ParameterizedCommand_HasItsOwnNameAndSummary()
    {
        var (rc, stdout, _) = await RunAsync("queue", "drain", "--help");
        Assert.Equal(0, rc);
        Assert.Equal("""
            Usage: flux queue drain [--timeout=FSD] [QUEUE]
            Wait until there are no active jobs (pending or running).

                  --timeout=FSD  Give up after this long (exit 1).
              -h, --help         Display this message.

            """.ReplaceLineEndings("\n"), stdout);
        (_, stdout, _) = await RunAsync("queue", "--help");
        Assert.Contains("  disable          Refuse new submissions (jobs already queued stay).\n", stdout, StringComparison.Ordinal);
        Assert.Contains("  idle             Wait until no job is running.\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownOption_IsExit2WithAPointerToHelp()
    {
        var (rc, stdout, stderr) = await RunAsync("jobs", "--bogus");
        Assert.Equal(2, rc);
        Assert.Equal("", stdout);
        Assert.Equal("flux-jobs: unrecognized option '--bogus'\nTry 'flux jobs --help' for more information.\n", stderr);
    }

    [Fact]
    public async Task RunAsync_UsageErrorInTheCommand_IsExit2()
    {
        var (rc, _, stderr) = await RunAsync("submit", "--dry-run", "-N3", "-n2", "true");
        Assert.Equal(2, rc);
        Assert.Equal("flux-submit: node count 3 exceeds task count 2\nTry 'flux submit --help' for more information.\n", stderr);
    }

    [Fact]
    public async Task RunAsync_UnknownCommandOrSubcommand_IsExit2()
    {
        var (rc, _, stderr) = await RunAsync("bogus");
        Assert.Equal(2, rc);
        Assert.Equal("flux: 'bogus' is not a flux command. See 'flux --help'.\n", stderr);
        (rc, _, stderr) = await RunAsync("queue", "bogus");
        Assert.Equal(2, rc);
        Assert.StartsWith("flux-queue: unknown subcommand 'bogus'\nUsage: flux queue COMMAND [OPTIONS]\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DryRun_PrintsTheJobspecWithoutABroker()
    {
        var (rc, stdout, _) = await RunAsync("submit", "--dry-run", "--flags=waitable", "-n2", "hostname");
        Assert.Equal(0, rc);
        Assert.Contains("\"count\": 2", stdout, StringComparison.Ordinal);
        Assert.Contains("\"hostname\"", stdout, StringComparison.Ordinal);
    }
}
