// What a FluxTestInstance starts with: its configuration, the KVS or not, extra module folders, broker attributes.
namespace Flux.Testing;

/// <summary>
/// How <see cref="FluxTestInstance.StartAsync(FluxTestOptions?, CancellationToken)"/> starts an
/// instance. The defaults give a broker with the content store and the KVS and an empty configuration.
/// </summary>
public sealed class FluxTestOptions
{
    /// <summary>
    /// The instance's configuration as TOML text (what <c>flux start --config-path</c> would read),
    /// or null for none. A module reads its table from it (<c>IFlux.Config</c>); a syntax error fails
    /// the start with the file's name and line.
    /// </summary>
    public string? Config { get; set; }

    /// <summary>
    /// Whether to load the content store and the KVS at start (<c>content</c>, <c>kvs</c>,
    /// <c>kvs-watch</c>, the blobs kept in memory). Default true; false starts a broker with no module.
    /// </summary>
    public bool Kvs { get; set; } = true;

    /// <summary>
    /// Whether to load the job pipeline at start: <c>job-manager</c> (with its builtin jobtap
    /// plugins) and <c>job-ingest</c> (with the builtin validators), after the KVS, which they need
    /// (so <see cref="Kvs"/> must be true). No scheduler and no execution service are loaded: a
    /// submitted job is validated, goes through DEPEND and PRIORITY and waits in SCHED. Default false.
    /// </summary>
    public bool Jobs { get; set; }

    /// <summary>
    /// With <see cref="Jobs"/>, what happens to an accepted job: <see cref="TestExecution.None"/> (the
    /// default) leaves it in SCHED; <see cref="TestExecution.Simulated"/> also loads <c>resource</c>,
    /// <c>sched-simple</c> and <c>job-exec</c> in test mode, so it runs (with no process) to INACTIVE.
    /// </summary>
    public TestExecution Execution { get; set; }

    /// <summary>
    /// Folders searched, in order, for a jobtap plugin loaded by name (<c>conf.jobtap_pluginpath</c>),
    /// before the builtins Flux.Testing brings (<c>flux-testing/jobtap</c> beside the test). Empty by default.
    /// </summary>
    public IList<string> JobtapPath { get; } = [];

    /// <summary>
    /// Folders searched, in order, for a validator or frobnicator loaded by name
    /// (<c>conf.validator_path</c>), before the builtins Flux.Testing brings
    /// (<c>flux-testing/validators</c> beside the test). Empty by default.
    /// </summary>
    public IList<string> ValidatorPath { get; } = [];

    /// <summary>
    /// Folders searched, in order, for a module loaded by name, before the modules Flux.Testing
    /// brings (<c>flux-testing/modules</c> beside the test). Empty by default.
    /// </summary>
    public IList<string> ModulePath { get; } = [];

    /// <summary>
    /// The clock a module gets when its constructor asks for a <see cref="System.TimeProvider"/>:
    /// give your own (a fake whose time the test advances) to test timeouts and periods without waiting.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Broker attributes, as <c>flux start -S KEY=VALUE</c> sets them (for example <c>broker.module-timeout</c>).</summary>
    public IDictionary<string, string> Attributes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
