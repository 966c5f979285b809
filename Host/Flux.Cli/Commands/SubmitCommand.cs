// flux submit: build a jobspec from the command line, sign it, submit it (many copies with --cc).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;
using Flux.Cli.Terminal;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class SubmitCommand : Command
{
    public override string Name => "submit";

    public override string Summary => "Submit a job (or many copies of it) and print its job ID.";

    public override string Usage => "[OPTIONS] COMMAND [ARGS...]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options =>
    [
        .. SubmitOptions.Specs,
        new("cc", null, "IDSET", "Submit one copy per id in IDSET (e.g. 1-100); {cc} in ARGS is replaced by the id."),
        new("bcc", null, "IDSET", "Like --cc, but without {cc} substitution."),
        new("quiet", null, null, "Do not print job IDs."),
        new("wait", null, null, "Wait for the jobs to finish; exit with the largest exit code."),
        new("watch", null, null, "Wait for the jobs, printing their output (--wait plus output)."),
        new("progress", null, null, "On a terminal, show a progress bar of jobs submitted (with --wait: finished)."),
    ];

    public override string Details => """
        Examples:
          flux submit -n4 -c2 -t 10m ./app --input data
          flux submit --cc=1-100 --quiet --wait -t 1s true
          flux submit --setattr=system.exec.test.run_duration=1s sleep 1   # simulated run (testexec)
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        var cc = args.Get("cc") ?? args.Get("bcc");
        var copies = cc is null ? [0u] : ParseIdset(cc);
        // Only a command that names {cc} differs from copy to copy: otherwise one jobspec is built,
        // signed and encoded for them all (building 1,000 copies held back the first of
        // `flux submit --cc=1-1000 true` by 100 ms).
        var substitute = args.Has("cc") && args.Positionals.Any(p => p.Contains("{cc}", StringComparison.Ordinal));
        var flags = SubmitOptions.Flags(args);
        var urgency = SubmitOptions.Urgency(args);
        var specs = new List<JsonObject>(copies.Count);
        foreach (var i in copies)
        {
            var cmd = substitute ? args.Positionals.Select(p => p.Replace("{cc}", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToList() : args.Positionals;
            specs.Add(SubmitOptions.Build(args, cmd));
            if (!substitute && copies.Count > 1)
            {
                // One jobspec serves every copy when nothing is substituted.
                specs.AddRange(Enumerable.Repeat(specs[0], copies.Count - 1));
                break;
            }
        }
        if (args.Has("dry-run"))
        {
            Console.WriteLine(SubmitOptions.Pretty(specs[0]));
            return 0;
        }
        SubmitSupport.Check(specs[0], flags);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        if (args.Has("wait") && !args.Has("watch") && (flags & SubmitFlags.Waitable) == 0
            && await h.GetAttrAsync("security.owner", ct).ConfigureAwait(false) is { } owner
            && owner == Flux.Client.Connectors.PeerCredentials.CurrentUid.ToString(CultureInfo.InvariantCulture))
        {
            // The instance owner may submit waitable jobs (flux-core and Flux.NET alike): then each job is
            // waited for with one job-manager.wait response instead of a stream of its eventlog, which at
            // --cc=1-1000 costs the instance a third of its throughput. Others follow the eventlogs.
            flags |= SubmitFlags.Waitable;
        }
        // As flux-core's --progress: a bar of submissions, then (with --wait) one of the jobs finishing.
        // It is drawn on stderr only when that is a terminal; --watch prints job output instead.
        var progress = args.Has("progress") && !args.Has("watch");
        var ids = progress
            ? await TerminalProgress.RunAsync(string.Create(CultureInfo.InvariantCulture, $"Submitting {specs.Count} jobs"), specs.Count, keep: !args.Has("wait"),
                p => SubmitAllAsync(h, specs, urgency, flags, p, ct)).ConfigureAwait(false)
            : await SubmitAllAsync(h, specs, urgency, flags, ProgressLine.None, ct).ConfigureAwait(false);
        if (!args.Has("quiet"))
        {
            var w = Console.Out;
            foreach (var id in ids)
            {
                await w.WriteLineAsync(JobIdArg.F58(id)).ConfigureAwait(false);
            }
            await w.FlushAsync(ct).ConfigureAwait(false);
        }
        if (args.Has("watch"))
        {
            // Each job's output in submission order (the jobs themselves run side by side).
            var rc = 0;
            foreach (var id in ids)
            {
                var attacher = new Attacher(h, id, "flux-submit") { ForwardStdin = false };
                rc = Math.Max(rc, await attacher.RunAsync(ct).ConfigureAwait(false));
            }
            return rc;
        }
        if (!args.Has("wait"))
        {
            return 0;
        }
        if (!progress)
        {
            return await WaitAllAsync(h, ids, flags, ProgressLine.None, ct).ConfigureAwait(false);
        }
        return await TerminalProgress.RunAsync(WaitText(ids.Length, 0, 0), ids.Length, keep: true,
            p => WaitAllAsync(h, ids, flags, p, ct)).ConfigureAwait(false);
    }

    private static List<uint> ParseIdset(string text)
    {
        try
        {
            var set = IdSet.Parse(text);
            return set.IsEmpty ? throw new UsageException("--cc: empty idset") : [.. set];
        }
        catch (FluxException ex)
        {
            throw new UsageException($"--cc: {ex.Message}");
        }
    }

    /// <summary>Submits every jobspec, many requests in flight at once; returns ids in order.</summary>
    public static async Task<ulong[]> SubmitAllAsync(FluxHandle h, IReadOnlyList<JsonObject> specs, int urgency, SubmitFlags flags, ProgressLine progress, CancellationToken ct)
    {
        var uid = PeerCredentials.CurrentUid;
        var ids = new ulong[specs.Count];
        using var window = new SemaphoreSlim(1024);
        var tasks = new Task[specs.Count];
        byte[]? payload = null;
        JsonObject? lastSpec = null;
        for (var i = 0; i < specs.Count; i++)
        {
            await window.WaitAsync(ct).ConfigureAwait(false);
            if (!ReferenceEquals(specs[i], lastSpec))
            {
                // The jobs of a bulk submission share one jobspec: signed and encoded once, and the
                // same request payload is sent for each.
                lastSpec = specs[i];
                var j = SignedJob.Wrap(specs[i].ToJsonString(), uid);
                payload = Message.EncodeJson((j, urgency, flags), static (w, s) =>
                {
                    w.WriteStartObject();
                    w.WriteString("J", s.j);
                    w.WriteNumber("urgency", s.urgency);
                    w.WriteNumber("flags", (int)s.flags);
                    w.WriteEndObject();
                });
            }
            tasks[i] = SubmitOneAsync(h, payload!, ids, i, window, progress, ct);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return ids;
    }

    private static async Task SubmitOneAsync(FluxHandle h, byte[] payload, ulong[] ids, int index, SemaphoreSlim window, ProgressLine progress, CancellationToken ct)
    {
        try
        {
            var request = new Message(MessageType.Request) { Topic = "job-ingest.submit", NodeIdTarget = NodeId.Any };
            request.SetPayload(payload);
            var resp = await h.RequestAsync(request, ct).ConfigureAwait(false);
            ids[index] = resp.GetJson()["id"]!.GetValue<ulong>();
            progress.Advance();
        }
        finally
        {
            window.Release();
        }
    }

    /// <summary>
    /// Waits for jobs; returns the largest exit code (1 for a job ended by an exception). Without a
    /// progress display each failed job's error is printed on stderr as it ends.
    /// </summary>
    public static async Task<int> WaitAllAsync(FluxHandle h, IReadOnlyList<ulong> ids, SubmitFlags flags, ProgressLine progress, CancellationToken ct)
    {
        var done = 0;
        var failed = 0;
        var rc = 0;
        var gate = new Lock();
        var tasks = ids.Select(async id =>
        {
            // As flux-core's submit --wait: the job's eventlog to its clean event, so a job need not be
            // waitable. A waitable job is waited for with job-manager.wait, one request instead of a stream.
            var (success, status, errstr) = (flags & SubmitFlags.Waitable) != 0
                ? await WaitOneAsync(h, id, ct).ConfigureAwait(false)
                : await WatchOneAsync(h, id, ct).ConfigureAwait(false);
            lock (gate)
            {
                done++;
                if (!success)
                {
                    failed++;
                    rc = Math.Max(rc, JobExit.Code(status, success));
                    if (!progress.Shown)
                    {
                        Console.Error.WriteLine($"{JobIdArg.F58(id)}: {errstr}");
                    }
                }
                progress.Describe(WaitText(ids.Count, done, failed));
                progress.Set(done);
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return rc;
    }

    private static async Task<(bool Success, int Status, string? Errstr)> WatchOneAsync(FluxHandle h, ulong id, CancellationToken ct)
    {
        var outcome = await JobOutcome.WatchAsync(h, id, ct).ConfigureAwait(false);
        return (outcome.Success, outcome.WaitStatus ?? -1, outcome.ErrorText);
    }

    private static async Task<(bool Success, int Status, string? Errstr)> WaitOneAsync(FluxHandle h, ulong id, CancellationToken ct)
    {
        var resp = await h.RpcAsync("job-manager.wait", new JsonObject { ["id"] = id }, NodeId.Any, ct).ConfigureAwait(false);
        // flux-core answers {id, success, errstr}; Flux.NET adds the wait status.
        var success = resp!["success"]!.GetValue<bool>();
        return (success, resp["status"]?.GetValue<int>() ?? (success ? 0 : -1), resp["errstr"]?.GetValue<string>());
    }

    // flux-core's counters before the bar; pending and running are one count here (only a job's end
    // is counted).
    private static string WaitText(int total, int done, int failed) =>
        string.Create(CultureInfo.InvariantCulture, $"PD+R:{total - done} CD:{done - failed} F:{failed}");
}
