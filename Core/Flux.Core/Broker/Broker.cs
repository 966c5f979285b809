// The broker: router, attributes, log, module host, local listener, and the initial program.
using Flux.Formats;
using System.Globalization;
using Flux.Abstractions;
using Flux.Client.Config;
using Flux.Client.Connectors;
using Flux.Client.Plugins;
using Flux.Core.Connectors;
using Flux.Client.Handle;
using Flux.Core.Modules;
using Microsoft.Extensions.Logging;

namespace Flux.Core.Broker;

/// <summary>
/// One broker. Start-up follows flux-core's order: attributes and configuration, the router and
/// the broker's own services, the local connector, then the rc1 modules; then the initial program
/// runs with FLUX_URI set (or the broker waits for <c>flux shutdown</c> or a signal); shutdown
/// removes modules in reverse order and removes a private rundir.
/// </summary>
public sealed partial class Broker : IBrokerContext, IAsyncDisposable
{
    /// <summary>The modules loaded by default when they are installed, in dependency order (rc1).</summary>
    public static readonly IReadOnlyList<string> DefaultRc1 =
    [
        "content", "content-sqlite", "kvs", "kvs-watch", "resource", "job-manager", "job-info",
        "job-list", "job-ingest", "job-exec", "sched-simple",
    ];

    private readonly BrokerOptions _options;
    private readonly TaskCompletionSource<string> _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _log;

    /// <summary>The broker's own logger (records go to <see cref="Log"/> under the name "broker").</summary>
    internal ILogger Logger => _log;
    private bool _ownsRundir;
    private LocalListener? _listener;
    private FluxHandle? _self;
    private InitialProgram? _initialProgram;
    private Task _staleRundirs = Task.CompletedTask;

    /// <summary>Creates a broker; <see cref="StartAsync"/> brings it up.</summary>
    public Broker(BrokerOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Log = new LogRing(1024);
        _log = new RingLogger(Log, "broker", 0);
        Router = new Router(0, _log);
        Modules = new ModuleHost(Router, this, _log);
        OwnerUid = PeerCredentials.CurrentUid;
    }

    /// <summary>The socket engine's start begun by <see cref="BrokerRunner"/> on another thread (InlineSocketCompletions.EnableInBackground).</summary>
    internal Task SocketEngineStarted { get; init; } = Task.CompletedTask;

    /// <summary>The router.</summary>
    public Router Router { get; }

    /// <summary>The log ring (flux dmesg).</summary>
    public LogRing Log { get; }

    /// <summary>The module host.</summary>
    public ModuleHost Modules { get; }

    /// <summary>Attributes.</summary>
    public BrokerAttributes Attributes { get; } = new();

    /// <summary>Limits and timeouts (<c>broker.*</c> attributes), set at start-up.</summary>
    public BrokerLimits Limits { get; private set; } = new(DescriptorLimit.Current(1024));

    /// <inheritdoc />
    public TimeSpan ModuleTimeout => Limits.ModuleTimeout;

    /// <summary>Whether the initial program is running (signals then belong to it).</summary>
    public bool ProgramRunning => _initialProgram is { Exited.IsCompleted: false };

    /// <inheritdoc />
    public uint OwnerUid { get; }

    /// <inheritdoc />
    public uint Size => 1;

    /// <inheritdoc />
    public FluxConfig Config { get; private set; } = FluxConfig.Empty;

    /// <summary>The run directory.</summary>
    public string Rundir { get; private set; } = string.Empty;

    /// <summary>The local connector URI.</summary>
    public string LocalUri { get; private set; } = string.Empty;

    /// <summary>When the broker started.</summary>
    public DateTimeOffset StartTime { get; } = DateTimeOffset.UtcNow;

    /// <inheritdoc />
    public IReadOnlyList<string> ModuleSearchPath
    {
        get
        {
            var list = new List<string>();
            if (Environment.GetEnvironmentVariable("FLUX_MODULE_PATH") is { Length: > 0 } env)
            {
                list.AddRange(env.Split(':', StringSplitOptions.RemoveEmptyEntries));
            }
            if (Attributes.Get("conf.module_path")?.Value is { Length: > 0 } attr)
            {
                list.AddRange(attr.Split(':', StringSplitOptions.RemoveEmptyEntries));
            }
            list.AddRange(Config.GetStringArray("modules.search-path"));
            return PluginLoader.SearchPath(PluginKind.Module, list);
        }
    }

    /// <inheritdoc />
    public TimeProvider Time => _options.TimeProvider;

    /// <inheritdoc />
    public Flux.Client.Plugins.InProcessPlugins? InProcessPlugins => _options.InProcessPlugins;

    /// <summary>The installation's built-in module folder.</summary>
    public static string BuiltinModuleDir => BuiltinPlugins.Directory(PluginKind.Module);

    /// <inheritdoc />
    public string? Attribute(string name) => Attributes.Get(name)?.Value;

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, string?>> CacheableAttributes => Attributes.ImmutableAttributes;

    /// <summary>Completes with the reason when shutdown is requested.</summary>
    public Task<string> ShutdownRequested => _shutdown.Task;

    /// <summary>Asks the broker to shut down.</summary>
    public void RequestShutdown(string reason) => _shutdown.TrySetResult(reason);

    /// <summary>
    /// Brings the broker up: everything before the initial program. Start-up errors are
    /// <see cref="FluxException"/>s that say what failed and why (a rundir or statedir that cannot
    /// be written names the path and the system's reason); <paramref name="ct"/> (a signal) cancels
    /// the rc1 module loads.
    /// </summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        if (_options.ConfigPath is { } cp)
        {
            Config = ConfigLoader.Load(cp);
        }
        FileSystemStep("rundir", SetupRundir);
        SetupAttributes();
        FileSystemStep("statedir", SetupStatedir);
        _self = new FluxHandle(new RouterChannel(Router, "broker", OwnerUid, FluxRole.Owner | FluxRole.Local), "broker", null, 0, Size, Config);
        _self.Start();
        RegisterServices(_self);
        Router.Detached += OnDetached;
        if (_options.Listen)
        {
            _listener = new LocalListener(Path.Combine(Rundir, "local-0"), Router, OwnerUid, AccessPolicy, _log, Limits.MaxClients, Limits.ClientQueueLimit);
            _listener.Start();
        }
        if (_options.LoopName is { } loop)
        {
            LoopConnector.Register(loop, this);
        }
        _idleTimer = new Timer(_ => CollectWhenIdle(), null, IdleCheck, IdleCheck);
        BrokerLog.Started(_log, Rundir);
        if (_ownsRundir)
        {
            // Off the start-up path, but finished before this broker exits (flux start true).
            _staleRundirs = Task.Run(RemoveStaleRundirs, CancellationToken.None);
            BackgroundWork.Watch(_staleRundirs, _log, "removing rundirs of brokers that died");
        }
        var rc1 = (_options.Rc1Modules ?? DefaultRc1)
            .Where(name => _options.Rc1Modules is not null || PluginLoader.Find(name, PluginKind.Module, ModuleSearchPath) is not null)
            .ToList();
        // Its variables must be gone before a module starts a process (job-exec's shell host).
        await SocketEngineStarted.ConfigureAwait(false);
        await LoadRc1Async(rc1, ct).ConfigureAwait(false);
        var kvsLoaded = rc1.Contains("kvs");
        if (!kvsLoaded && Attributes.Get(RestoreAttribute) is not null)
        {
            throw new FluxException(Errno.EINVAL, $"{RestoreAttribute}: the archive goes into the KVS, and no kvs module is loaded at start");
        }
        if (!kvsLoaded && Attributes.Get(DumpAttribute) is not null)
        {
            throw new FluxException(Errno.EINVAL, $"{DumpAttribute}: the archive is written from the KVS at shutdown, and no kvs module is loaded at start");
        }
        _started = true;
        EnterState(StateRun);
    }

    // rc1: each module loads as soon as the modules it needs are loaded (ModuleDependencies), so the
    // independent ones load side by side; the archive to restore goes into the KVS right after kvs
    // loads, before any module that reads the KVS. Every load started is awaited, so a failure is
    // reported (the first in rc1 order) only once nothing is loading any more; a module whose
    // prerequisite failed is not loaded.
    private async Task LoadRc1Async(List<string> names, CancellationToken ct)
    {
        var prerequisites = ModuleDependencies.Prerequisites(names);
        var loads = new Task[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            loads[i] = LoadAfterAsync(names[i], [.. prerequisites[i].Select(j => loads[j])], ct);
        }
        await Task.WhenAll(loads).ConfigureAwait(false);
    }

    private async Task LoadAfterAsync(string name, Task[] prerequisites, CancellationToken ct)
    {
        if (prerequisites.Length > 0)
        {
            await Task.WhenAll(prerequisites).ConfigureAwait(false);
        }
        else
        {
            // Off the caller's stack: the loop above starts every load before any runs.
            await Task.Yield();
        }
        await Modules.LoadAsync(name, null, [], ct).ConfigureAwait(false);
        if (name == "kvs")
        {
            await RestoreContentAsync(ct).ConfigureAwait(false);
        }
    }

    // Whether StartAsync completed: an instance that did not start (a failed restore, say) dumps nothing.
    private bool _started;

    /// <summary>
    /// Runs the initial program if there is one and returns its exit code (128+N if killed by
    /// signal N); otherwise waits for a shutdown request and returns 0. At a shutdown request the
    /// program gets SIGHUP, and SIGKILL if it is still running after the shutdown grace.
    /// </summary>
    public async Task<int> RunAsync()
    {
        if (_options.InitialProgram is not { Count: > 0 } prog)
        {
            await ShutdownRequested.ConfigureAwait(false);
            return 0;
        }
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["FLUX_URI"] = LocalUri };
        // As flux(1) does, put the directory of the flux command first on PATH inside the instance.
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "flux")))
        {
            var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
            env["PATH"] = AppContext.BaseDirectory.TrimEnd('/') + ":" + path;
        }
        foreach (var (k, v) in _options.Environment)
        {
            env[k] = v;
        }
        try
        {
            _initialProgram = InitialProgram.Start(prog, env);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            await Console.Error.WriteLineAsync($"{_options.ProgramName}: {ex.Message}").ConfigureAwait(false);
            return ex.NativeErrorCode == InitialProgram.NotFoundErrno ? 127 : 126;
        }
        Attributes.Set("broker.rc2_pid", _initialProgram.Pid.ToString(CultureInfo.InvariantCulture));
        var exited = _initialProgram.Exited;
        var first = await Task.WhenAny(exited, ShutdownRequested).ConfigureAwait(false);
        if (first != exited)
        {
            BrokerLog.ShutdownWithProgram(_log);
            _initialProgram.Signal(1);
            if (await Task.WhenAny(exited, Task.Delay(Limits.ShutdownGrace)).ConfigureAwait(false) != exited)
            {
                BrokerLog.ProgramKilled(_log, _initialProgram.Pid, Fsd.Format(Limits.ShutdownGrace));
                _initialProgram.Signal(9);
            }
        }
        return await exited.ConfigureAwait(false);
    }

    /// <summary>Stops everything in reverse order of start-up.</summary>
    public async ValueTask DisposeAsync()
    {
        BrokerLog.ShuttingDown(_log);
        EnterState(StateFinalize);
        await ShutdownRexecAsync().ConfigureAwait(false);
        if (_idleTimer is not null)
        {
            await _idleTimer.DisposeAsync().ConfigureAwait(false);
        }
        await Modules.RemoveAllAsync(BeforeRemovingAsync).ConfigureAwait(false);
        // flux-core's goodbye and exit: the modules are gone (monitors hear it before clients are cut off).
        EnterState(StateExit);
        if (_options.LoopName is { } loop)
        {
            LoopConnector.Unregister(loop);
        }
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }
        if (_self is not null)
        {
            await _self.DisposeAsync().ConfigureAwait(false);
        }
        Modules.Dispose();
        await Task.WhenAny(_staleRundirs, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        try
        {
            _startLog?.RecordFinish();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The instance stops all the same; the next start finds the marker and says so.
            BrokerLog.StartlogFinishFailed(_log, ex.Message);
        }
        RemoveRundir();
    }

    // The shutdown steps between module removals (flux-core's rc3 tasks ordered by module): the
    // content dump goes before the kvs module.
    private async Task BeforeRemovingAsync(string module, bool last)
    {
        if (module == "kvs")
        {
            await DumpContentAsync().ConfigureAwait(false);
            _dumpDone = true;
        }
        if (last && !_dumpDone && _started && Attributes.Get(DumpAttribute)?.Value is { Length: > 0 })
        {
            ContentDumpFailed = true;
            BrokerLog.ContentDumpNoKvs(_log);
        }
    }

    private bool _dumpDone;

    /// <summary>Removes a private rundir (also when a plugin ends the process).</summary>
    internal void RemoveRundir()
    {
        if (!_ownsRundir)
        {
            return;
        }
        try
        {
            Directory.Delete(Rundir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Something still writes there; the next broker's clean-up or the tmp cleaner removes it.
        }
    }

    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(2);
    private Timer? _idleTimer;
    private long _routedAtLastCheck;
    private long _allocatedAtLastCollect;

    /// <summary>
    /// After a burst of work (32 MiB or more allocated since the last time) followed by a quiet
    /// period (no message routed for a check interval), collects and compacts the heap and returns
    /// free memory to the system: a daemon that ran 10,000 jobs should not keep the garbage of
    /// running them.
    /// </summary>
    private void CollectWhenIdle()
    {
        var now = Router.Routed;
        var quiet = now == _routedAtLastCheck;
        _routedAtLastCheck = now;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        if (quiet && allocated - _allocatedAtLastCollect >= 32L << 20)
        {
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            _allocatedAtLastCollect = GC.GetTotalAllocatedBytes(precise: false);
        }
    }

    private StartLog? _startLog;

    private void RemoveStaleRundirs()
    {
        foreach (var dir in TempRundir.RemoveStale())
        {
            BrokerLog.StaleRundirRemoved(_log, dir);
        }
    }

    /// <summary>The statedir's start log, or null for an instance without a statedir.</summary>
    public StartLog? StartLog => _startLog;

    private (bool, bool) AccessPolicy() =>
        (Config.GetBool("access.allow-guest-user"), Config.GetBool("access.allow-root-owner"));
}

