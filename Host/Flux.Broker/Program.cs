// flux-broker [-c CONFIGDIR] [-S key=val]... [COMMAND [ARGS...]]: run one broker.
using Flux.Core.Broker;

if (args.Length > 0 && args[0] is "-h" or "--help")
{
    Console.WriteLine("""
        Usage: flux-broker [OPTIONS] [COMMAND [ARGS...]]
        Run a Flux broker. With COMMAND, run it as the initial program with FLUX_URI set and
        exit with its exit code; without, run until `flux shutdown` or SIGTERM.

          -c, --config-path=DIR   read every *.toml in DIR (or one .toml/.json file)
          -S, --setattr=KEY=VAL   set broker attribute KEY (e.g. rundir, statedir, log-stderr-level)
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
return await BrokerRunner.RunAsync(options, "flux-broker").ConfigureAwait(false);
