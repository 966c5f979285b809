// flux-shell: `flux-shell --host --service=NAME` is the long-lived shell host job-exec starts and
// sends jobs to; `flux-shell JOBID` runs one job's shell standalone, as [exec] job-shell does.
using System.Globalization;
using Flux.Abstractions;
using Flux.Shell;
using Flux.ShellHost;

const string Usage = "Usage: flux-shell JOBID\n" +
    "       flux-shell --host --service=NAME\n" +
    "  JOBID             Run this job's shell (FLUX_URI, FLUX_KVS_NAMESPACE from the environment), as job-exec's [exec] job-shell\n" +
    "  -h, --help        Summarize available options\n" +
    "  --host            Serve jobs sent by job-exec until stdin closes or SIGTERM (the shell host)\n" +
    "  --service=NAME    The service the shell host registers (with --host)";

if (args.Length == 0 || args.Contains("-h") || args.Contains("--help"))
{
    Console.Error.WriteLine(Usage);
    return args.Length == 0 ? 1 : 0;
}
try
{
    if (args[0] == ShellHostProtocol.HostFlag)
    {
        var service = args.Skip(1).FirstOrDefault(a => a.StartsWith(ShellHostProtocol.ServiceOption, StringComparison.Ordinal))?[ShellHostProtocol.ServiceOption.Length..];
        if (service is not { Length: > 0 } || args.Length != 2)
        {
            Console.Error.WriteLine(Usage);
            return 1;
        }
        return await HostService.RunAsync(service).ConfigureAwait(false);
    }
    if (args.Length == 1 && Flux.Formats.Fluid.TryParse(args[0], out var jobid))
    {
        return await StandaloneShell.RunAsync(jobid).ConfigureAwait(false);
    }
    // --reconnect (surviving a broker restart) is not implemented: refused rather than ignored.
    Console.Error.WriteLine(args.Contains("--reconnect") ? "flux-shell: --reconnect is not supported by this build" : Usage);
    return 1;
}
catch (FluxException ex)
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flux-shell: {ex.Message}"));
    return 1;
}
