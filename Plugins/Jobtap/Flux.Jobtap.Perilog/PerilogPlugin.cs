// perilog.so: runs [job-manager.prolog] before a job's start request and [job-manager.epilog] before its resources are freed (flux-core's perilog.c).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;
using Flux.SystemScripts;
using Microsoft.Extensions.Logging;

namespace Flux.Jobtap.Perilog;

/// <summary>
/// The prolog starts at <c>job.state.run</c> (<c>prolog-start</c> holds the start request back),
/// the epilog at the job's <c>finish</c> event (<c>epilog-start</c> holds the free back). Each runs
/// as the instance owner, on rank 0, or with <c>per-rank</c> once per rank of the job's R (with one
/// broker per instance every rank's run is on this broker). A prolog that fails raises a fatal
/// "prolog" exception; with <c>per-rank</c> the failed ranks are drained first. A timeout sends
/// SIGTERM to the process groups, and ranks still running after the kill timeout are drained. A
/// fatal exception cancels a running prolog (and an epilog with <c>cancel-on-exception</c>).
/// Unloading kills every run (SIGKILL), so job-manager's shutdown is bounded.
/// </summary>
[FluxPlugin("perilog.so", PluginKind.Jobtap)]
public sealed class PerilogPlugin(IJobtap jobtap, IFlux flux, ILogger<PerilogPlugin> log) : IFluxPlugin, IDisposable
{
    private const int SigTerm = 15;
    private const string PrologDescription = "job-manager.prolog";
    private const string EpilogDescription = "job-manager.epilog";
    private readonly Dictionary<ulong, PerilogProc> _procs = [];
    private PerilogConfig _config = new(null, null, []);
    private string? _localUri;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("conf.update", OnConfUpdate);
        plugin.Handle("job.state.run", OnRun);
        plugin.Handle("job.event.finish", OnFinish);
        plugin.Handle("job.event.exception", OnException);
        plugin.Handle("plugin.query", OnQuery);
        flux.Background(FetchUriAsync(), "perilog: local-uri");
    }

    private async Task FetchUriAsync() => _localUri = await flux.GetAttrAsync("local-uri").ConfigureAwait(true);

    private bool OnConfUpdate(string topic, PluginArgs args)
    {
        try
        {
            _config = PerilogConfig.Read(args.In["conf"] as JsonObject ?? [], SystemScriptLocations.FromEnvironment());
            return true;
        }
        catch (FluxException ex)
        {
            return args.Error(ex.Message);
        }
    }

    private bool OnRun(string topic, PluginArgs args)
    {
        // Subscribed for the finish event (epilog) and fatal exceptions (to cancel the prolog).
        if (_config.Prolog is null && _config.Epilog is null)
        {
            return true;
        }
        jobtap.Subscribe(IJobtap.CurrentJob);
        if (_config.Prolog is not { } prolog)
        {
            return true;
        }
        if (!Start(prolog, args.In))
        {
            jobtap.RaiseException(IJobtap.CurrentJob, "prolog", 0, "failed to start job prolog");
            return false;
        }
        jobtap.PrologStart(PrologDescription);
        return true;
    }

    private bool OnFinish(string topic, PluginArgs args)
    {
        if (_config.Epilog is not { } epilog)
        {
            return true;
        }
        if (!Start(epilog, args.In))
        {
            jobtap.RaiseException(IJobtap.CurrentJob, "epilog", 0, "failed to start job epilog");
            return false;
        }
        jobtap.EpilogStart(EpilogDescription);
        return true;
    }

    private bool OnException(string topic, PluginArgs args)
    {
        var severity = args.In["entry"]?["context"]?["severity"]?.GetValue<int>() ?? -1;
        var id = args.In["id"]!.GetValue<ulong>();
        if (severity == 0 && _procs.TryGetValue(id, out var proc) && proc.Desc.CancelOnException && !proc.Canceled && !proc.Finishing && proc.ActiveCount > 0)
        {
            // Canceled: the failed ranks are not drained, and no prolog exception is raised.
            proc.Canceled = true;
            proc.Kill(SigTerm);
            StartKillTimer(proc);
        }
        return true;
    }

    private bool OnQuery(string topic, PluginArgs args)
    {
        args.Out["conf"] = new JsonObject
        {
            ["prolog"] = _config.Prolog?.ToJson() ?? [],
            ["epilog"] = _config.Epilog?.ToJson() ?? [],
        };
        args.Out["procs"] = new JsonObject(_procs.Values.Select(p => KeyValuePair.Create<string, JsonNode?>(p.F58, new JsonObject
        {
            ["name"] = p.Desc.Name,
            ["state"] = p.Canceled ? "canceled" : p.TimedOut ? "timeout" : "running",
            ["total"] = p.Runs.Count,
            ["active"] = p.ActiveCount,
            ["active_ranks"] = p.Select(failed: false, active: true).Encode(IdSetFormat.Range),
        })));
        return true;
    }

    /// <summary>Starts a prolog or epilog for the job whose IN is given (procdesc_run).</summary>
    private bool Start(PerilogProcDesc desc, JsonObject input)
    {
        var id = input["id"]!.GetValue<ulong>();
        var userId = input["userid"]!.GetValue<uint>();
        var r = input["R"]?.DeepClone();
        try
        {
            StartProc(desc, id, userId, r);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or FluxException or InvalidOperationException or ArgumentException)
        {
            PerilogLog.Failed(log, Fluid.Encode(id, FluidEncoding.F58), desc.Name, ex.Message);
            return false;
        }
    }

    private PerilogProc StartProc(PerilogProcDesc desc, ulong id, uint userId, JsonNode? r)
    {
        var rv = r is null ? null : Rv1.Parse(r);
        var ranks = desc.PerRank
            ? rv?.Ranks ?? throw new FormatException("failed to decode ranks from R")
            : IdSet.Parse("0");
        if (_procs.TryGetValue(id, out var running))
        {
            throw new InvalidOperationException($"a {running.Desc.Name} is already running");
        }
        var proc = new PerilogProc(desc, id, userId, r, ranks, rv);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FLUX_JOB_ID"] = proc.F58,
            ["FLUX_JOB_USERID"] = userId.ToString(CultureInfo.InvariantCulture),
        };
        if (_localUri is not null)
        {
            env["FLUX_URI"] = _localUri;
        }
        var environment = ScriptEnvironment.Build(env);
        _procs[id] = proc;
        foreach (var rank in ranks)
        {
            var host = proc.HostOf(rank);
            var run = ScriptRun.Start(desc.Command, environment, (stream, line) => Output(proc, host, rank, stream, line));
            proc.Runs[rank] = run;
            flux.Background(WaitRankAsync(proc, rank, run), $"perilog: {desc.Name} of {proc.F58}");
        }
        if (desc.Timeout > 0)
        {
            flux.Background(TimeoutAsync(proc), $"perilog: {desc.Name} timeout of {proc.F58}");
        }
        if (ranks.IsEmpty)
        {
            flux.Background(DrainAndFinishAsync(proc, drainFailed: false, drainActive: false), $"perilog: {desc.Name} of {proc.F58}");
        }
        return proc;
    }

    private void Output(PerilogProc proc, string host, uint rank, string stream, string line)
    {
        if (_config.LogIgnore.Any(re => re.IsMatch(line)))
        {
            return;
        }
        if (stream == "stderr")
        {
            PerilogLog.ErrorOutput(log, proc.F58, proc.Desc.Name, host, rank, stream, line);
        }
        else
        {
            PerilogLog.Output(log, proc.F58, proc.Desc.Name, host, rank, stream, line);
        }
    }

    private async Task WaitRankAsync(PerilogProc proc, uint rank, ScriptRun run)
    {
        // A script can be done before the handler that started it returns (a quick one on a busy
        // machine): its finish must not be posted from inside that handler, ahead of the start event
        // the handler posts, so it is looked at from the loop, as flux-core's reactor would.
        await Task.Yield();
        var status = await run.Completion.ConfigureAwait(true);
        proc.Status[rank] = status;
        if (proc.ActiveCount == 0 && !proc.Finishing)
        {
            // completion_cb: only a per-rank run's failures drain, and a canceled one's never do.
            await DrainAndFinishAsync(proc, drainFailed: proc.Desc.PerRank && !proc.Canceled && proc.Rc != 0, drainActive: false).ConfigureAwait(true);
        }
    }

    private async Task TimeoutAsync(PerilogProc proc)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(proc.Desc.Timeout, int.MaxValue / 1000.0)), proc.Timers.Token).ConfigureAwait(true);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        proc.TimedOut = true;
        proc.Kill(SigTerm);
        StartKillTimer(proc);
    }

    private void StartKillTimer(PerilogProc proc)
    {
        if (proc.Killing)
        {
            return;
        }
        proc.Killing = true;
        flux.Background(KillTimeoutAsync(proc), $"perilog: {proc.Desc.Name} kill timer of {proc.F58}");
    }

    private async Task KillTimeoutAsync(PerilogProc proc)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(proc.Desc.KillTimeout), proc.Timers.Token).ConfigureAwait(true);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (!proc.Finishing)
        {
            PerilogLog.KillTimedOut(log, proc.F58, proc.Desc.Name);
            await DrainAndFinishAsync(proc, drainFailed: false, drainActive: true).ConfigureAwait(true);
        }
    }

    /// <summary>
    /// Drains the failed and/or still running ranks, waiting for the answer so that the resources
    /// are not freed and handed out before they are drained, then posts the finish event.
    /// </summary>
    private async Task DrainAndFinishAsync(PerilogProc proc, bool drainFailed, bool drainActive)
    {
        proc.Finishing = true;
        var drain = proc.Select(drainFailed, drainActive);
        if (!drain.IsEmpty)
        {
            var why = proc.Canceled ? "canceled then timed out" : proc.TimedOut ? "timed out" : "failed";
            try
            {
                await flux.RpcAsync("resource.drain", new JsonObject
                {
                    ["targets"] = drain.Encode(IdSetFormat.Range),
                    ["reason"] = $"{proc.Desc.Name} {why} for job {proc.F58}",
                    ["mode"] = "update",
                }).ConfigureAwait(true);
            }
            catch (FluxException ex)
            {
                PerilogLog.DrainFailed(log, proc.Desc.Name, proc.F58, ex.Message);
            }
        }
        Finish(proc);
    }

    /// <summary>Posts the finish event (emit_finish_event); a failed prolog raises its exception first and starts the epilog.</summary>
    private void Finish(PerilogProc proc)
    {
        _procs.Remove(proc.Id);
        proc.Dispose();
        // A run that timed out may have no failed status yet (its ranks never ended): it failed all the same.
        var status = proc.Rc != 0 ? proc.Rc : proc.Failed ? SigTerm : 0;
        try
        {
            if (!proc.Desc.Prolog)
            {
                jobtap.Unsubscribe(proc.Id);
                jobtap.EpilogFinish(proc.Id, EpilogDescription, status);
                return;
            }
            if (proc.Failed && !proc.Canceled)
            {
                jobtap.RaiseException(proc.Id, "prolog", 0, proc.PrologFailure());
            }
            // The epilog still runs after a failed prolog, to undo what the prolog did; its start is
            // posted before prolog-finish so the job cannot go straight on to INACTIVE.
            if (proc.Failed && _config.Epilog is { } epilog)
            {
                StartEpilogAfterProlog(proc, epilog);
            }
            jobtap.PrologFinish(proc.Id, PrologDescription, status);
        }
        catch (FluxException ex)
        {
            PerilogLog.Failed(log, proc.F58, proc.Desc.Name, ex.Message);
        }
    }

    private void StartEpilogAfterProlog(PerilogProc prolog, PerilogProcDesc epilog)
    {
        try
        {
            StartProc(epilog, prolog.Id, prolog.UserId, prolog.R);
        }
        catch (Exception ex) when (ex is FormatException or FluxException or InvalidOperationException or ArgumentException)
        {
            PerilogLog.Failed(log, prolog.F58, "epilog", "failed to start epilog on prolog-finish: " + ex.Message);
            return;
        }
        jobtap.PostEvent(prolog.Id, "epilog-start", new JsonObject { ["description"] = EpilogDescription });
    }

    public void Dispose()
    {
        foreach (var proc in _procs.Values)
        {
            proc.Finishing = true;
            proc.Dispose();
        }
        _procs.Clear();
    }
}
