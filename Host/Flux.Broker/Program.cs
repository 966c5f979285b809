// flux-broker [-c CONFIGDIR] [-S key=val]... [COMMAND [ARGS...]]: run one broker.
using Flux.Core.Broker;

if (args.Length > 0 && args[0] is "-h" or "--help")
{
    Console.WriteLine("""
        Usage: flux-broker [OPTIONS] [COMMAND [ARGS...]]
        Run a Flux broker. With COMMAND, run it as the initial program with FLUX_URI set and
        exit with its exit code; without, run until `flux shutdown` or SIGTERM.

          -c, --config-path=DIR   read every *.toml in DIR (or one .toml/.json file)
          -S, --setattr=KEY=VAL   set broker attribute KEY (e.g. rundir, statedir, log-stderr-level);
                                  broker.rc1_path=MOD,... names the modules loaded at start-up
              --program-name=NAME prefix start-up errors with NAME (flux start passes flux-start)
          -h, --help              show this help
        """);
    return 0;
}
var options = new BrokerOptions();
int first;
try
{
    first = options.ParseArgs(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"flux-broker: {ex.Message}");
    return 1;
}
if (first < args.Length && args[first].StartsWith('-') && (first == 0 || args[first - 1] != "--"))
{
    Console.Error.WriteLine($"flux-broker: unrecognized option '{args[first]}'\nTry 'flux-broker --help' for more information.");
    return 1;
}
if (first < args.Length)
{
    options.InitialProgram = args[first..];
}
// As in flux-core, broker.rc1_path chooses what rc1 does: here, the modules it loads in order.
if (options.Attributes.Remove("broker.rc1_path", out var rc1))
{
    options.Rc1Modules = rc1.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
return await BrokerRunner.RunAsync(options, options.ProgramName).ConfigureAwait(false);
