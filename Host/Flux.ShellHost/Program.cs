// flux-shell: `flux-shell --host --service=NAME` is the long-lived shell host job-exec starts and
// sends jobs to; `flux-shell JOBID` runs one job's shell standalone, as [exec] job-shell does.
using System.Globalization;
using Flux.Abstractions;
using Flux.Shell;
using Flux.ShellHost;

const string Usage = "Usage: flux-shell JOBID\n" +
    "       flux-shell --host --service=NAME [--reconnect [--reconnect-timeout=FSD] [--uri-file=PATH]]\n" +
    "  JOBID                  Run this job's shell (FLUX_URI, FLUX_KVS_NAMESPACE from the environment), as job-exec's [exec] job-shell\n" +
    "  -h, --help             Summarize available options\n" +
    "  --host                 Serve jobs sent by job-exec until SIGTERM (the shell host)\n" +
    "  --service=NAME         The service the shell host registers (with --host)\n" +
    "  --reconnect            Attempt to reconnect if broker connection is lost: the tasks keep running and the\n" +
    "                         restarted job-exec takes the jobs over (with --host; job-exec always passes it)\n" +
    "  --reconnect-timeout=FSD  Give up reconnecting after this long (default 5m): kill the tasks and exit\n" +
    "  --uri-file=PATH        Read the restarted broker's URI from PATH (job-exec writes it in the statedir)";

if (args.Length == 0 || args.Contains("-h") || args.Contains("--help"))
{
    Console.Error.WriteLine(Usage);
    return args.Length == 0 ? 1 : 0;
}
// A message from the broker is handed to the shell's loop by the socket engine thread it wakes, not
// by a pool worker woken in turn (one wake-up per message, not two: InlineSocketCompletions). The
// host's round trips to the broker (the service, attributes, output commits) are on every job's
// way to its start and its end.
Flux.Client.Connectors.InlineSocketCompletions.Enable(engineThreads: 1);
try
{
    if (args[0] == ShellHostProtocol.HostFlag)
    {
        return await RunHostAsync(args[1..]).ConfigureAwait(false);
    }
    if (args.Length == 1 && Flux.Formats.Fluid.TryParse(args[0], out var jobid))
    {
        return await StandaloneShell.RunAsync(jobid).ConfigureAwait(false);
    }
    // A standalone shell ([exec] job-shell) is job-exec's child: it does not outlive the broker, so it cannot reconnect.
    Console.Error.WriteLine(args.Contains(ShellHostProtocol.ReconnectFlag)
        ? "flux-shell: --reconnect applies to the shell host (--host) only: a standalone shell (flux-shell JOBID) ends with its broker connection"
        : Usage);
    return 1;
}
catch (FluxException ex)
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flux-shell: {ex.Message}"));
    return 1;
}

static async Task<int> RunHostAsync(string[] options)
{
    string? service = null;
    string? uriFile = null;
    var reconnect = false;
    var timeout = TimeSpan.FromMinutes(5);
    foreach (var a in options)
    {
        if (a.StartsWith(ShellHostProtocol.ServiceOption, StringComparison.Ordinal))
        {
            service = a[ShellHostProtocol.ServiceOption.Length..];
        }
        else if (a == ShellHostProtocol.ReconnectFlag)
        {
            reconnect = true;
        }
        else if (a.StartsWith(ShellHostProtocol.ReconnectTimeoutOption, StringComparison.Ordinal))
        {
            var text = a[ShellHostProtocol.ReconnectTimeoutOption.Length..];
            if (!Flux.Formats.Fsd.TryParse(text, out var seconds) || seconds <= 0)
            {
                Console.Error.WriteLine($"flux-shell: --reconnect-timeout: expected a duration greater than 0 like \"30s\" or \"5m\", got '{text}'");
                return 1;
            }
            timeout = TimeSpan.FromSeconds(seconds);
        }
        else if (a.StartsWith(ShellHostProtocol.UriFileOption, StringComparison.Ordinal))
        {
            uriFile = a[ShellHostProtocol.UriFileOption.Length..];
        }
        else
        {
            Console.Error.WriteLine($"flux-shell: unknown option '{a}' with --host\n{Usage}");
            return 1;
        }
    }
    if (service is not { Length: > 0 })
    {
        Console.Error.WriteLine($"flux-shell: --host needs --service=NAME\n{Usage}");
        return 1;
    }
    if (!reconnect && (uriFile is not null || options.Any(o => o.StartsWith(ShellHostProtocol.ReconnectTimeoutOption, StringComparison.Ordinal))))
    {
        Console.Error.WriteLine("flux-shell: --reconnect-timeout and --uri-file apply only with --reconnect");
        return 1;
    }
    return await HostService.RunAsync(service, reconnect, timeout, uriFile).ConfigureAwait(false);
}
