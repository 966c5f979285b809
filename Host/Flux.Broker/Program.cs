// flux-broker [-c CONFIGDIR] [-S key=val]... [COMMAND [ARGS...]]: run one broker.
using Flux.Core.Broker;

var options = new BrokerOptions();
var i = 0;
for (; i < args.Length; i++)
{
    var a = args[i];
    if (a == "--")
    {
        i++;
        break;
    }
    if (a is "-h" or "--help")
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
    string? Value(string shortOpt, string longOpt)
    {
        if (a == shortOpt || a == longOpt)
        {
            return ++i < args.Length ? args[i] : throw new ArgumentException($"option '{a}' requires an argument");
        }
        if (a.StartsWith(longOpt + "=", StringComparison.Ordinal))
        {
            return a[(longOpt.Length + 1)..];
        }
        return a.StartsWith(shortOpt, StringComparison.Ordinal) && a.Length > 2 ? a[2..] : null;
    }
    try
    {
        if (Value("-c", "--config-path") is { } c)
        {
            options.ConfigPath = c;
            continue;
        }
        if (Value("-S", "--setattr") is { } s)
        {
            var eq = s.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                Console.Error.WriteLine($"flux-broker: -S {s}: expected KEY=VALUE");
                return 1;
            }
            options.Attributes[s[..eq]] = s[(eq + 1)..];
            continue;
        }
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine($"flux-broker: {ex.Message}");
        return 1;
    }
    if (a.StartsWith('-'))
    {
        Console.Error.WriteLine($"flux-broker: unrecognized option '{a}'\nTry 'flux-broker --help' for more information.");
        return 1;
    }
    break;
}
if (i < args.Length)
{
    options.InitialProgram = args[i..];
}
return await BrokerRunner.RunAsync(options, "flux-broker").ConfigureAwait(false);
