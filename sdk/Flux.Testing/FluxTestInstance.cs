// An in-process Flux instance for a plugin's tests: a real broker on loop://, the KVS, modules loaded by type or path.
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Client.Plugins;
using Flux.Core.Broker;

namespace Flux.Testing;

/// <summary>
/// A Flux instance in the test's own process: the broker Flux runs (router, module host, the
/// <c>broker.*</c>, <c>module.*</c>, <c>attr.*</c>, <c>log.*</c> and <c>config.*</c> services), reached
/// over <c>loop://</c> with no socket, with the content store and the KVS loaded unless
/// <see cref="FluxTestOptions.Kvs"/> is false. A module under test is loaded from its type (it then
/// runs in the test's load context, so a debugger and coverage see it) or from its assembly's path (in
/// its own load context, as <c>flux module load</c> does); the test talks to it through
/// <see cref="Flux"/> or other handles from <see cref="ConnectAsync(uint?, CancellationToken)"/> (or through a connector under test, <see cref="ConnectAsync{TConnector}"/>), as any client would. Modules
/// run as they do in a broker: each on its own loop, handlers one at a time, errors answered as RFC 6
/// errors. Every call is bounded (a module's load by the broker's module timeout, 60 s by default).
/// Dispose the instance (<c>await using</c>): it closes the handles it gave out, unloads every module
/// in reverse order, and removes the folders it made. Instances are independent, so tests using
/// them may run in parallel.
/// </summary>
public sealed partial class FluxTestInstance : IAsyncDisposable
{
    /// <summary>The modules <see cref="FluxTestOptions.Kvs"/> loads, in load order.</summary>
    public static IReadOnlyList<string> KvsModules { get; } = ["content", "kvs", "kvs-watch"];

    private const string ConfigFile = "test.toml";
    private const string ExecutionConfigFile = "flux-testing-exec.toml";
    private static int _next;
    private readonly List<IFlux> _handles = [];
    private readonly Lock _lock = new();
    private readonly Broker _broker;
    private readonly InProcessPlugins _inProcess;
    private readonly string? _configDir;
    private IFlux? _flux;
    private bool _disposed;

    private FluxTestInstance(Broker broker, InProcessPlugins inProcess, string name, string? configDir)
    {
        _broker = broker;
        _inProcess = inProcess;
        Uri = "loop://" + name;
        _configDir = configDir;
    }

    /// <summary>The folder of the modules Flux.Testing brings: <c>flux-testing/modules</c> beside the test's assembly.</summary>
    public static string BundledModules { get; } = Path.Combine(AppContext.BaseDirectory, "flux-testing", "modules");

    /// <summary>The folder of the builtin jobtap plugins Flux.Testing brings (job-manager needs them): <c>flux-testing/jobtap</c>.</summary>
    public static string BundledJobtap { get; } = Path.Combine(AppContext.BaseDirectory, "flux-testing", "jobtap");

    /// <summary>The folder of the builtin validators and frobnicators Flux.Testing brings: <c>flux-testing/validators</c>.</summary>
    public static string BundledValidators { get; } = Path.Combine(AppContext.BaseDirectory, "flux-testing", "validators");

    /// <summary>The URI that reaches this instance from this process (<c>loop://NAME</c>): <c>IFlux</c> clients of any kind may use it.</summary>
    public string Uri { get; }

    /// <summary>The instance owner's handle, opened at start and closed at dispose.</summary>
    public IFlux Flux => _flux ?? throw new ObjectDisposedException(nameof(FluxTestInstance));

    /// <summary>
    /// Starts an instance as <paramref name="options"/> say (the defaults: the KVS, no configuration).
    /// Throws <see cref="FluxException"/> when the broker or a module cannot start, saying which and why;
    /// a failed start leaves nothing behind.
    /// </summary>
    public static async Task<FluxTestInstance> StartAsync(FluxTestOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FluxTestOptions();
        if (options.Jobs && !options.Kvs)
        {
            throw new ArgumentException("FluxTestOptions.Jobs needs the KVS (job-ingest and job-manager keep jobs there): leave FluxTestOptions.Kvs true", nameof(options));
        }
        if (options.Execution != TestExecution.None && !options.Jobs)
        {
            throw new ArgumentException($"FluxTestOptions.Execution = {options.Execution} needs the job pipeline: set FluxTestOptions.Jobs = true", nameof(options));
        }
        var name = $"flux-testing-{Environment.ProcessId}-{Interlocked.Increment(ref _next)}";
        string? configDir = null;
        if (options.Config is not null || options.Jobs)
        {
            configDir = Directory.CreateTempSubdirectory("flux-testing-conf-").FullName;
            await File.WriteAllTextAsync(Path.Combine(configDir, ConfigFile), options.Config ?? "", cancellationToken).ConfigureAwait(false);
            if (ExecutionConfig(options.Execution) is { } exec)
            {
                // A file of its own beside the test's: the broker reads every *.toml of the folder.
                await File.WriteAllTextAsync(Path.Combine(configDir, ExecutionConfigFile), exec, cancellationToken).ConfigureAwait(false);
            }
        }
        var inProcess = new InProcessPlugins();
        var bo = new BrokerOptions { LoopName = name, Listen = false, ConfigPath = configDir, Rc1Modules = [], TimeProvider = options.TimeProvider, InProcessPlugins = inProcess };
        foreach (var (k, v) in options.Attributes)
        {
            bo.Attributes[k] = v;
        }
        var path = options.ModulePath.Select(Path.GetFullPath).ToList();
        if (Directory.Exists(BundledModules))
        {
            path.Add(BundledModules);
        }
        bo.Attributes["conf.module_path"] = string.Join(':', path);
        bo.Attributes["conf.jobtap_pluginpath"] = SearchPath(options.JobtapPath, BundledJobtap);
        bo.Attributes["conf.validator_path"] = SearchPath(options.ValidatorPath, BundledValidators);
        var broker = new Broker(bo);
        var instance = new FluxTestInstance(broker, inProcess, name, configDir);
        try
        {
            await broker.StartAsync(cancellationToken).ConfigureAwait(false);
            if (options.Kvs)
            {
                foreach (var m in Modules(options))
                {
                    if (PluginLoader.Find(m, PluginKind.Module, broker.ModuleSearchPath) is null)
                    {
                        throw new FluxException(Errno.ENOENT, $"Flux.Testing: module '{m}' not found in {string.Join(", ", path.DefaultIfEmpty("(no folder)"))}: "
                            + $"the Flux.Testing package copies it to {BundledModules} at build; "
                            + (KvsModules.Contains(m) ? "set FluxTestOptions.Kvs = false for a broker without the KVS"
                                : JobModules.Contains(m) ? "set FluxTestOptions.Jobs = false for a broker without the job pipeline"
                                : $"set FluxTestOptions.Execution = None for jobs that wait in SCHED"));
                    }
                    await broker.Modules.LoadAsync(m, null, [], cancellationToken).ConfigureAwait(false);
                }
            }
            instance._flux = await instance.ConnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            instance._jobs = options.Jobs;
            instance._execution = options.Execution;
            return instance;
        }
        catch
        {
            await instance.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // A conf.*_path attribute: the test's folders, then the bundled one if the package put it beside the test.
    private static string SearchPath(IEnumerable<string> folders, string bundled) =>
        string.Join(':', folders.Select(Path.GetFullPath).Concat(Directory.Exists(bundled) ? [bundled] : []));

    /// <summary>
    /// Opens another handle: the owner's, or with <paramref name="guestUserId"/> a guest's (roles
    /// user and local, to test what a module allows other users). The instance closes it at dispose.
    /// </summary>
    public async Task<IFlux> ConnectAsync(uint? guestUserId = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var h = await FluxConnect.OpenAsync(guestUserId is { } u ? $"{Uri}?userid={u}" : Uri, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _handles.Add(h);
        }
        return h;
    }

    /// <summary>
    /// Loads module <typeparamref name="TModule"/> (marked <c>[FluxPlugin(NAME, PluginKind.Module)]</c>)
    /// under its name with <paramref name="args"/> (as <c>flux module load NAME ARGS...</c>) and returns
    /// the name once its <c>LoadAsync</c> has completed. Errors are <see cref="FluxException"/>s: the
    /// module's own, EEXIST if a module of that name is loaded, EINVAL for a type that is not a module.
    /// </summary>
    public Task<string> LoadModuleAsync<TModule>(params string[] args) where TModule : class, IFluxModule =>
        LoadModuleAsync(typeof(TModule), null, args);

    /// <summary>
    /// Loads a module from its type, under <paramref name="name"/> if given (as <c>flux module load -n
    /// NAME</c>: its service is then that name) or its <c>[FluxPlugin]</c> name. The module shares the
    /// test's load context, so it is not unloaded when removed. Returns the module's name.
    /// </summary>
    public Task<string> LoadModuleAsync(Type moduleType, string? name, IEnumerable<string>? args = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(moduleType);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _broker.Modules.LoadAsync(moduleType, name, [.. args ?? []], cancellationToken);
    }

    /// <summary>
    /// Loads a module as <c>flux module load [-n NAME] MODULE ARGS...</c> does: MODULE is the path of
    /// a <c>.dll</c> (loaded into its own load context from a copy of its folder, with its private
    /// dependencies) or a name found on <see cref="FluxTestOptions.ModulePath"/> and the bundled modules.
    /// Returns the module's name.
    /// </summary>
    public Task<string> LoadModuleAsync(string module, string? name = null, IEnumerable<string>? args = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _broker.Modules.LoadAsync(module, name, [.. args ?? []], cancellationToken);
    }

    /// <summary>Removes a module, as <c>flux module remove NAME</c> does: its <c>UnloadAsync</c> runs, its handlers and services go.</summary>
    public Task RemoveModuleAsync(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _broker.Modules.RemoveAsync(name);
    }

    /// <summary>
    /// Replaces the configuration with <paramref name="toml"/> and reloads it, as editing the config
    /// files and running <c>flux config reload</c> does: every module implementing <c>IConfigurable</c>
    /// checks it, and if one refuses, nothing changes and this throws with its reason. The instance
    /// must have been started with a <see cref="FluxTestOptions.Config"/> (an empty string will do) or
    /// with <see cref="FluxTestOptions.Jobs"/>. The validators and frobnicators loaded through the
    /// instance stay (they are configured in a file of their own).
    /// </summary>
    public async Task ReloadConfigAsync(string toml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(toml);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_configDir is null)
        {
            throw new InvalidOperationException("this instance was started without FluxTestOptions.Config (or Jobs): set it (\"\" for an empty configuration) to reload one");
        }
        var file = Path.Combine(_configDir, ConfigFile);
        var previous = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(file, toml, cancellationToken).ConfigureAwait(false);
        try
        {
            await Flux.RpcAsync("config.reload", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The broker keeps the configuration it had, and so does the file a later reload starts from.
            await File.WriteAllTextAsync(file, previous, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The broker's log as <c>flux dmesg</c> keeps it (the last 1024 records), one <c>NAME: TEXT</c>
    /// a line: what modules logged through their <c>ILogger</c>, and the broker's own records.
    /// </summary>
    public IReadOnlyList<string> LogLines() => [.. _broker.Log.Snapshot().Select(e => $"{e.Name}: {e.Text}")];

    /// <summary>Closes the handles given out, unloads every module in reverse load order, removes the configuration folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        List<IFlux> handles;
        lock (_lock)
        {
            handles = [.. _handles];
            _handles.Clear();
        }
        foreach (var h in handles)
        {
            await h.DisposeAsync().ConfigureAwait(false);
        }
        _flux = null;
        await _broker.DisposeAsync().ConfigureAwait(false);
        if (_configDir is not null && Directory.Exists(_configDir))
        {
            Directory.Delete(_configDir, recursive: true);
        }
    }
}
