// flux job status: wait for jobs to finish (following their eventlogs) and exit with the largest exit code
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobStatusCommand : Command
{
    public override string Name => "job status";

    public override string Summary => "Wait for jobs to finish and exit with the largest exit code.";

    public override string Usage => "[-v] [-j] [-e N] ID...";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("verbose", 'v', null, "Say why a job failed (twice: also jobs that succeeded).", Repeatable: true),
        new("exception-exit-code", 'e', "N", "Exit code for a job ended only by an exception (canceled, rejected...) (default 1)."),
        new("json", 'j', null, "Print each job's result object (from its eventlog) as JSON."),
    ];

    public override string Details => """
        As flux-core's flux job status, each job's eventlog is followed to its end (job-info.eventlog-watch),
        so any job can be waited for, waitable or not, active or inactive.
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var ids = args.Positionals.Select(JobIdArg.Parse).ToList();
        var exceptionCode = args.GetInt("exception-exit-code", 1);
        var verbose = args.GetAll("verbose").Count;
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var watches = ids.Select(id => JobOutcome.WatchAsync(h, id, ct)).ToList();
        if (verbose > 0 && ids.Count > 1)
        {
            Console.Error.WriteLine($"flux-job: fetching status for {ids.Count} jobs");
        }
        try
        {
            await Task.WhenAll(watches).ConfigureAwait(false);
        }
        catch (FluxException)
        {
            // Reported per job below, in argument order.
        }
        if (verbose > 0 && ids.Count > 1)
        {
            Console.Error.WriteLine("flux-job: all done.");
        }
        var rc = 0;
        for (var i = 0; i < ids.Count; i++)
        {
            var jobid = args.Positionals[i];
            JobOutcome r;
            try
            {
                r = await watches[i].ConfigureAwait(false);
            }
            catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
            {
                throw new FluxException(Errno.ENOENT, $"{jobid}: No such job");
            }
            catch (FluxException ex)
            {
                throw new FluxException(ex.Errnum, $"{jobid}: flux_job_wait_status_get: {ex.Message}");
            }
            if (args.Has("json"))
            {
                Console.WriteLine(r.ToJson().ToJsonString());
            }
            var code = r.ExitCode;
            rc = Math.Max(rc, code);
            if (r.FatalException && exceptionCode > rc)
            {
                rc = exceptionCode;
            }
            if (verbose > 0)
            {
                if (r.WaitStatus is int w && (w & 0x7f) != 0)
                {
                    Console.Error.WriteLine($"flux-job: {jobid}: job shell died by signal {w & 0x7f}");
                }
                else if (verbose > 1 || code != 0)
                {
                    Console.Error.WriteLine(r.FatalException
                        ? $"flux-job: {jobid}: exception type={r.ExceptionType}"
                        : $"flux-job: {jobid}: exited with exit code {code}");
                }
            }
        }
        return rc;
    }
}
