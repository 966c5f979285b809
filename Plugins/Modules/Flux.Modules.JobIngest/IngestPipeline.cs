// The ingest pipeline (flux-core's pipeline.c): frobnicators, then policy limits, then validators, each stage a list of plugins.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobIngest;

/// <summary>
/// The plugins of one configuration, loaded and configured. A job goes through the frobnicators
/// (<c>job.frobnicate</c>, which change IN <c>jobspec</c> in place), then the limits of
/// <c>[policy.limits]</c> and its queue's (admin guide: after defaults, before feasibility), then the
/// validators (<c>job.validate</c>) unless the stage is disabled or the job has the novalidate flag.
/// As in flux-core, frobnicators run only when <c>[ingest.frobnicator] plugins</c> is given, or when
/// <c>[policy.jobspec.defaults]</c> or <c>[queues]</c> need the default ones (defaults, constraints);
/// validators default to <c>["jobspec"]</c>. A configuration is loaded whole or not at all.
/// </summary>
internal sealed class IngestPipeline : IDisposable
{
    private static readonly string[] DefaultValidators = ["jobspec"];
    private static readonly string[] DefaultFrobnicators = ["defaults", "constraints"];

    private readonly ILogger _log;

    // Jobs waiting in an asynchronous handler of this pipeline, and whether it was disposed meanwhile.
    private int _inflight;
    private bool _disposed;

    private IngestPipeline(ILogger log, PolicyLimits limits, bool validate)
    {
        _log = log;
        Limits = limits;
        Validate = validate;
    }

    public List<IngestPlugin> Frobnicators { get; } = [];

    public List<IngestPlugin> Validators { get; } = [];

    public PolicyLimits Limits { get; }

    /// <summary>Whether the validator stage runs (<c>[ingest.validator] disable</c> unset).</summary>
    public bool Validate { get; }

    /// <summary>
    /// Whether a job's result depends only on its jobspec, submit flags and the configuration (so a
    /// repeated J is processed once). Set once loaded: it is read for every submission.
    /// </summary>
    public bool Deterministic { get; private set; }

    /// <summary>
    /// Whether a repeated J may skip to the validators whose answer may change (<see cref="ProcessAsync"/>
    /// with <c>stored</c>): every frobnicator depends only on the jobspec and the configuration, so the
    /// first job's stored jobspec is what the repeat's would be, and it has passed the limits and the
    /// other validators. Set once loaded.
    /// </summary>
    public bool RepeatsSkipToChangingValidators { get; private set; }

    // The steps a job goes through, by its flags: the whole pipeline or, for a repeat (see above), the
    // validators that may answer differently. Indexes as Step takes them.
    private int[] _full = [], _fullNoValidate = [], _repeat = [];

    private void PlanSteps()
    {
        var validators = Validate ? Validators.Count : 0;
        var first = Frobnicators.Count + 1;
        _full = [.. Enumerable.Range(0, first + validators)];
        _fullNoValidate = [.. Enumerable.Range(0, first)];
        _repeat = [.. Enumerable.Range(0, validators).Where(v => !Validators[v].IsDeterministic).Select(v => first + v)];
    }

    /// <summary>Loads and configures every plugin of <paramref name="config"/>; on any failure none stays loaded.</summary>
    public static async Task<IngestPipeline> LoadAsync(FluxConfig config, IPluginLoader loader, ILogger log)
    {
        var validator = IngestStageConfig.Read(config, "validator", DefaultValidators);
        var frobnicator = IngestStageConfig.Read(config, "frobnicator", DefaultFrobnicators);
        var pipeline = new IngestPipeline(log, new PolicyLimits(config), !validator.Disabled);
        try
        {
            var frob = !frobnicator.Disabled && (frobnicator.PluginsGiven
                ? frobnicator.Plugins.Count > 0
                : config.Contains("policy.jobspec.defaults") || config.Contains("queues"));
            if (frob)
            {
                LoadStage(frobnicator, PluginKind.Frobnicator, loader, pipeline.Frobnicators, config);
                await pipeline.ConfUpdateAsync(pipeline.Frobnicators, frobnicator.Stage, config).ConfigureAwait(true);
            }
            if (pipeline.Validate)
            {
                LoadStage(validator, PluginKind.Validator, loader, pipeline.Validators, config);
                await pipeline.ConfUpdateAsync(pipeline.Validators, validator.Stage, config).ConfigureAwait(true);
            }
            pipeline.Deterministic = pipeline.Frobnicators.Concat(pipeline.Validators).All(p => p.IsDeterministic);
            pipeline.RepeatsSkipToChangingValidators = pipeline.Frobnicators.All(p => p.IsDeterministic);
            pipeline.PlanSteps();
            JobIngestLog.Configured(log, frob ? frobnicator : null, validator);
            return pipeline;
        }
        catch
        {
            pipeline.Dispose();
            throw;
        }
    }

    private static void LoadStage(IngestStageConfig stage, PluginKind kind, IPluginLoader loader, List<IngestPlugin> into, FluxConfig config)
    {
        foreach (var spec in stage.Plugins)
        {
            IReadOnlyList<ILoadedPlugin> loaded;
            try
            {
                loaded = loader.Load(spec, kind, null, (name, services) => services.AddSingleton(stage.PluginConfFor(kind, name, config)));
            }
            catch (FluxException ex)
            {
                throw new FluxException(ex.Errnum, $"[ingest.{stage.Stage}] plugin {spec}: {ex.Message}");
            }
            foreach (var l in loaded)
            {
                var p = new IngestPlugin(l.Name, stage.ConfFor(l.Name)) { Loaded = l };
                into.Add(p);
                if (into.Count(x => x.Name == l.Name) > 1)
                {
                    throw new FluxException(Errno.EEXIST, $"[ingest.{stage.Stage}] plugin {l.Name} is listed twice");
                }
                if (l.Instance is not IFluxPlugin fp)
                {
                    throw new FluxException(Errno.EINVAL, $"{stage.Stage} plugin {l.Name}: {l.Instance.GetType().Name} does not implement IFluxPlugin");
                }
                try
                {
                    fp.Register(p);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    throw new FluxException(ex is FluxException fx ? fx.Errnum : Errno.EINVAL, $"{stage.Stage} plugin {l.Name}: {ex.Message}");
                }
            }
        }
    }

    /// <summary>conf.update with the whole configuration for each plugin of a stage; the first refusal names its plugin.</summary>
    private async Task ConfUpdateAsync(List<IngestPlugin> plugins, string stage, FluxConfig config)
    {
        foreach (var p in plugins)
        {
            if (p.HandlerFor("conf.update") is not { } h)
            {
                continue;
            }
            var args = new PluginArgs(new JsonObject { ["conf"] = config.Root.DeepClone() });
            var answer = Call(p, h, "conf.update", args, stage, CancellationToken.None);
            bool ok;
            try
            {
                ok = await answer.ConfigureAwait(true);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ok = Fault(p, "conf.update", args, stage, ex);
            }
            if (!ok)
            {
                throw new FluxException(Errno.EINVAL, $"{stage} plugin {p.Name}: {args.ErrorMessage ?? "refused the configuration"}");
            }
        }
    }

    /// <summary>
    /// Runs a job through the pipeline and returns the jobspec to store: as the frobnicators left it and
    /// the limits passed it, encoded as UTF-8 JSON before the validators see it (a validator accepts or
    /// refuses; it does not change what is stored, as in flux-core). A rejection is a
    /// <see cref="FluxException"/> (EINVAL) with the plugin's or the limit's message. When every
    /// handler is synchronous the result is already complete (no task, no state machine); the first
    /// asynchronous handler that has not answered yet moves the rest of the job to an awaited path,
    /// which resumes on the caller's loop. With <paramref name="stored"/> (only when
    /// <see cref="RepeatsSkipToChangingValidators"/>), the job repeats an earlier one with the same J and
    /// flags: <paramref name="jobspec"/> is that job's stored jobspec (<paramref name="stored"/>, parsed),
    /// only the validators whose answer may change see it, and <paramref name="stored"/> is returned.
    /// </summary>
    public ValueTask<byte[]> ProcessAsync(JsonObject jobspec, uint userid, FluxRole rolemask, int urgency, int flags, CancellationToken cancellationToken, byte[]? stored = null)
    {
        // IN of flux-core's validator and frobnicator protocol: one object for every call of this job.
        var input = new JsonObject
        {
            ["jobspec"] = jobspec,
            ["userid"] = userid,
            ["rolemask"] = (uint)rolemask,
            ["urgency"] = urgency,
            ["flags"] = flags,
        };
        var steps = Steps(flags, stored is not null);
        try
        {
            for (var i = 0; i < steps.Length; i++)
            {
                if (Step(steps[i], input, cancellationToken) is { } waiting)
                {
                    var rest = ContinueAsync(waiting, i + 1, steps, input, stored, cancellationToken);
                    input = null;
                    return rest;
                }
                stored = Stored(steps[i], input, stored);
            }
            return new ValueTask<byte[]>(stored ?? throw new InvalidOperationException("the pipeline ran no limits step"));
        }
        finally
        {
            // The jobspec leaves IN, so the caller may attach it elsewhere (the awaited path does it itself).
            input?.Remove("jobspec");
        }
    }

    // Frobnicators, the limits, then the validators unless the stage is off or the owner said novalidate.
    private int[] Steps(int flags, bool repeat) =>
        (flags & (int)SubmitFlags.NoValidate) != 0 ? (repeat ? [] : _fullNoValidate) : repeat ? _repeat : _full;

    // After the limits step (which never waits), the jobspec is encoded: what is stored.
    private byte[]? Stored(int step, JsonObject input, byte[]? stored)
    {
        if (step != Frobnicators.Count)
        {
            return stored;
        }
        var utf8 = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var w = new System.Text.Json.Utf8JsonWriter(utf8))
        {
            input["jobspec"]!.WriteTo(w);
        }
        return utf8.WrittenSpan.ToArray();
    }

    private async ValueTask<byte[]> ContinueAsync(Waiting waiting, int next, int[] steps, JsonObject input, byte[]? stored, CancellationToken cancellationToken)
    {
        // A reload that replaces this pipeline while a job waits here unloads its plugins only once the job is done.
        _inflight++;
        try
        {
            bool ok;
            try
            {
                ok = await waiting.Answer.ConfigureAwait(true);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ok = Fault(waiting.Plugin, waiting.Topic, waiting.Args, waiting.Stage, ex);
            }
            Check(ok, waiting.Plugin, waiting.Args, waiting.Stage);
            for (var i = next; i < steps.Length; i++)
            {
                if (Step(steps[i], input, cancellationToken) is { } more)
                {
                    bool answered;
                    try
                    {
                        answered = await more.Answer.ConfigureAwait(true);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        answered = Fault(more.Plugin, more.Topic, more.Args, more.Stage, ex);
                    }
                    Check(answered, more.Plugin, more.Args, more.Stage);
                }
                stored = Stored(steps[i], input, stored);
            }
            return stored ?? throw new InvalidOperationException("the pipeline ran no limits step");
        }
        finally
        {
            input.Remove("jobspec");
            if (--_inflight == 0 && _disposed)
            {
                Unload();
            }
        }
    }

    /// <summary>Runs step <paramref name="i"/>: throws if it rejects the job, returns the call still waiting for an asynchronous handler, else null.</summary>
    private Waiting? Step(int i, JsonObject input, CancellationToken cancellationToken)
    {
        if (i < Frobnicators.Count)
        {
            return Plugin(Frobnicators[i], "job.frobnicate", "frobnicator", input, cancellationToken);
        }
        if (i == Frobnicators.Count)
        {
            if (input["jobspec"] is not JsonObject)
            {
                throw new FluxException(Errno.EINVAL, "a frobnicator left a jobspec that is not a JSON object");
            }
            if (Limits.Check(input["jobspec"]) is { } why)
            {
                throw new FluxException(Errno.EINVAL, why);
            }
            return null;
        }
        return Plugin(Validators[i - Frobnicators.Count - 1], "job.validate", "validator", input, cancellationToken);
    }

    private Waiting? Plugin(IngestPlugin p, string topic, string stage, JsonObject input, CancellationToken cancellationToken)
    {
        if (p.HandlerFor(topic) is not { } h)
        {
            return null;
        }
        var args = new PluginArgs(input);
        var answer = Call(p, h, topic, args, stage, cancellationToken);
        if (!answer.IsCompleted)
        {
            return new Waiting(answer, p, topic, args, stage);
        }
        Check(Outcome(answer, p, topic, args, stage), p, args, stage);
        return null;
    }

    private static void Check(bool ok, IngestPlugin p, PluginArgs args, string stage)
    {
        if (!ok)
        {
            throw new FluxException(Errno.EINVAL, args.ErrorMessage ?? $"rejected by {stage} plugin {p.Name}");
        }
    }

    // Calls a handler; a synchronous one's answer is wrapped without allocating. A throw is a fault of the plugin.
    private ValueTask<bool> Call(IngestPlugin p, IngestHandler h, string topic, PluginArgs args, string stage, CancellationToken cancellationToken)
    {
        try
        {
            return h.Sync is { } sync ? new ValueTask<bool>(sync(topic, args)) : h.Async!(topic, args, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new ValueTask<bool>(Fault(p, topic, args, stage, ex));
        }
    }

    // The answer of a completed call; a faulted one is the plugin's fault.
    private bool Outcome(ValueTask<bool> answer, IngestPlugin p, string topic, PluginArgs args, string stage)
    {
        try
        {
            return answer.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Fault(p, topic, args, stage, ex);
        }
    }

    // A plugin that throws is logged with its name and its call fails with a message naming it; job-ingest keeps running.
    private bool Fault(IngestPlugin p, string topic, PluginArgs args, string stage, Exception ex)
    {
        JobIngestLog.PluginFailed(_log, stage, p.Name, topic, ex);
        return args.Error($"{stage} plugin {p.Name} failed: {ex.Message}");
    }

    /// <summary>Unloads the plugins, or, while a job still waits for one of them, once it is done.</summary>
    public void Dispose()
    {
        _disposed = true;
        if (_inflight == 0)
        {
            Unload();
        }
    }

    private void Unload()
    {
        foreach (var p in Frobnicators.Concat(Validators))
        {
            p.Loaded?.Dispose();
        }
        Frobnicators.Clear();
        Validators.Clear();
    }

    /// <summary>A call of an asynchronous handler that has not answered yet.</summary>
    private sealed record Waiting(ValueTask<bool> Answer, IngestPlugin Plugin, string Topic, PluginArgs Args, string Stage);
}
