// The ingest pipeline (flux-core's pipeline.c): frobnicators, then policy limits, then validators, each stage a list of plugins.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;
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

    /// <summary>Whether a job's result depends only on its jobspec, submit flags and the configuration (so a repeated J is processed once).</summary>
    public bool Deterministic => Frobnicators.Concat(Validators).All(p => p.IsDeterministic);

    /// <summary>Loads and configures every plugin of <paramref name="config"/>; on any failure none stays loaded.</summary>
    public static IngestPipeline Load(FluxConfig config, IPluginLoader loader, ILogger log)
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
                pipeline.LoadStage(frobnicator, PluginKind.Frobnicator, config, loader, pipeline.Frobnicators);
            }
            if (pipeline.Validate)
            {
                pipeline.LoadStage(validator, PluginKind.Validator, config, loader, pipeline.Validators);
            }
            JobIngestLog.Configured(log, frob ? frobnicator : null, validator);
            return pipeline;
        }
        catch
        {
            pipeline.Dispose();
            throw;
        }
    }

    private void LoadStage(IngestStageConfig stage, PluginKind kind, FluxConfig config, IPluginLoader loader, List<IngestPlugin> into)
    {
        foreach (var spec in stage.Plugins)
        {
            IReadOnlyList<ILoadedPlugin> loaded;
            try
            {
                loaded = loader.Load(spec, kind, null, null);
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
        ConfUpdate(into, stage.Stage, config);
    }

    /// <summary>conf.update with the whole configuration for each plugin of a stage; the first refusal names its plugin.</summary>
    private void ConfUpdate(List<IngestPlugin> plugins, string stage, FluxConfig config)
    {
        foreach (var p in plugins)
        {
            if (p.HandlerFor("conf.update") is not { } h)
            {
                continue;
            }
            var args = new PluginArgs(new JsonObject { ["conf"] = config.Root.DeepClone() });
            if (!Call(p, h, "conf.update", args, stage))
            {
                throw new FluxException(Errno.EINVAL, $"{stage} plugin {p.Name}: {args.ErrorMessage ?? "refused the configuration"}");
            }
        }
    }

    /// <summary>
    /// Runs a job through the pipeline and returns its final jobspec. A rejection is a
    /// <see cref="FluxException"/> (EINVAL) with the plugin's or the limit's message.
    /// </summary>
    public JsonObject Process(JsonObject jobspec, uint userid, FluxRole rolemask, int urgency, int flags)
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
        try
        {
            Stage(Frobnicators, "job.frobnicate", input, "frobnicator");
            if (input["jobspec"] is not JsonObject)
            {
                throw new FluxException(Errno.EINVAL, "a frobnicator left a jobspec that is not a JSON object");
            }
            if (Limits.Check(input["jobspec"]) is { } why)
            {
                throw new FluxException(Errno.EINVAL, why);
            }
            if (Validate && (flags & (int)SubmitFlags.NoValidate) == 0)
            {
                Stage(Validators, "job.validate", input, "validator");
            }
            return (JsonObject)input["jobspec"]!;
        }
        finally
        {
            // The jobspec leaves IN, so the caller may attach it elsewhere.
            input.Remove("jobspec");
        }
    }

    private void Stage(List<IngestPlugin> plugins, string topic, JsonObject input, string stage)
    {
        foreach (var p in plugins)
        {
            if (p.HandlerFor(topic) is not { } h)
            {
                continue;
            }
            var args = new PluginArgs(input);
            if (!Call(p, h, topic, args, stage))
            {
                throw new FluxException(Errno.EINVAL, args.ErrorMessage ?? $"rejected by {stage} plugin {p.Name}");
            }
        }
    }

    // A plugin that throws is logged with its name and its call fails with a message naming it; job-ingest keeps running.
    private bool Call(IngestPlugin p, PluginHandler handler, string topic, PluginArgs args, string stage)
    {
        try
        {
            return handler(topic, args);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            JobIngestLog.PluginFailed(_log, stage, p.Name, topic, ex);
            args.ErrorMessage = $"{stage} plugin {p.Name} failed: {ex.Message}";
            return false;
        }
    }

    public void Dispose()
    {
        foreach (var p in Frobnicators.Concat(Validators))
        {
            p.Loaded?.Dispose();
        }
        Frobnicators.Clear();
        Validators.Clear();
    }
}
