// The broker: router, attributes, log, module host, local listener, and the initial program.
using System.Diagnostics;
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
    private Process? _initialProgram;

    /// <summary>Creates a broker; <see cref="StartAsync"/> brings it up.</summary>
    public Broker(BrokerOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Router = new Router(0);
        Log = new LogRing(1024);
        _log = new RingLogger(Log, "broker", 0);
        Modules = new ModuleHost(Router, this, _log);
        OwnerUid = PeerCredentials.CurrentUid;
    }

    /// <summary>The router.</summary>
    public Router Router { get; }

    /// <summary>The log ring (flux dmesg).</summary>
    public LogRing Log { get; }

    /// <summary>The module host.</summary>
    public ModuleHost Modules { get; }

    /// <summary>Attributes.</summary>
    public BrokerAttributes Attributes { get; } = new();

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
            list.Add(BuiltinModuleDir);
            return list;
        }
    }

    /// <summary>The installation's built-in module folder.</summary>
    public static string BuiltinModuleDir => BuiltinPlugins.Directory(PluginKind.Module);

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, string?>> CacheableAttributes => Attributes.ImmutableAttributes;

    /// <summary>Completes with the reason when shutdown is requested.</summary>
    public Task<string> ShutdownRequested => _shutdown.Task;

    /// <summary>Asks the broker to shut down.</summary>
    public void RequestShutdown(string reason) => _shutdown.TrySetResult(reason);

    /// <summary>Brings the broker up: everything before the initial program.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        if (_options.ConfigPath is { } cp)
        {
            Config = ConfigLoader.Load(cp);
        }
        SetupRundir();
        SetupAttributes();
        SetupStatedir();
        _self = new FluxHandle(new RouterChannel(Router, "broker", OwnerUid, FluxRole.Owner | FluxRole.Local), "broker", null, 0, Size, Config);
        _self.Start();
        RegisterServices(_self);
        Router.Detached += OnDetached;
        if (_options.Listen)
        {
            _listener = new LocalListener(Path.Combine(Rundir, "local-0"), Router, OwnerUid, AccessPolicy, _log);
            _listener.Start();
        }
        if (_options.LoopName is { } loop)
        {
            LoopConnector.Register(loop, this);
        }
        _idleTimer = new Timer(_ => CollectWhenIdle(), null, IdleCheck, IdleCheck);
        BrokerLog.Started(_log, Rundir);
        foreach (var name in _options.Rc1Modules ?? DefaultRc1)
        {
            if (_options.Rc1Modules is null && PluginLoader.Find(name, PluginKind.Module, ModuleSearchPath) is null)
            {
                continue;
            }
            await Modules.LoadAsync(name, null, [], ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs the initial program if there is one and returns its exit code (128+N if killed by
    /// signal N); otherwise waits for a shutdown request and returns 0.
    /// </summary>
    public async Task<int> RunAsync()
    {
        if (_options.InitialProgram is not { Count: > 0 } prog)
        {
            await ShutdownRequested.ConfigureAwait(false);
            return 0;
        }
        var psi = new ProcessStartInfo(prog[0]) { UseShellExecute = false };
        foreach (var a in prog.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["FLUX_URI"] = LocalUri;
        // As flux(1) does, put the directory of the flux command first on PATH inside the instance.
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "flux")))
        {
            var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
            psi.Environment["PATH"] = AppContext.BaseDirectory.TrimEnd('/') + ":" + path;
        }
        foreach (var (k, v) in _options.Environment)
        {
            psi.Environment[k] = v;
        }
        try
        {
            _initialProgram = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            await Console.Error.WriteLineAsync($"flux-broker: {prog[0]}: {ex.Message}").ConfigureAwait(false);
            return ex.NativeErrorCode == 2 ? 127 : 126;
        }
        Attributes.Set("broker.rc2_pid", _initialProgram.Id.ToString(CultureInfo.InvariantCulture));
        var exited = _initialProgram.WaitForExitAsync();
        var first = await Task.WhenAny(exited, ShutdownRequested).ConfigureAwait(false);
        if (first != exited)
        {
            BrokerLog.ShutdownWithProgram(_log);
            Signal(_initialProgram.Id, 1);
            await exited.ConfigureAwait(false);
        }
        return _initialProgram.ExitCode;
    }

    /// <summary>Stops everything in reverse order of start-up.</summary>
    public async ValueTask DisposeAsync()
    {
        BrokerLog.ShuttingDown(_log);
        if (_idleTimer is not null)
        {
            await _idleTimer.DisposeAsync().ConfigureAwait(false);
        }
        await Modules.RemoveAllAsync().ConfigureAwait(false);
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
        _startLog?.RecordFinish();
        if (_ownsRundir)
        {
            try
            {
                Directory.Delete(Rundir, recursive: true);
            }
            catch (IOException)
            {
                // Something still writes there; leave it for the tmp cleaner.
            }
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

    /// <summary>The statedir's start log, or null for an instance without a statedir.</summary>
    public StartLog? StartLog => _startLog;

    private void SetupStatedir()
    {
        if (Attributes.Get("statedir")?.Value is not { Length: > 0 } statedir)
        {
            return;
        }
        Directory.CreateDirectory(statedir);
        _startLog = new StartLog(statedir);
        if (_startLog.RecordStart(Attributes.Get("version")?.Value ?? "0"))
        {
            const string reason = "the previous instance on this statedir did not shut down cleanly";
            Attributes.Set("broker.safe-mode", reason, BrokerAttributes.Immutable);
            BrokerLog.SafeMode(_log, reason);
        }
    }

    private (bool, bool) AccessPolicy() =>
        (Config.GetBool("access.allow-guest-user"), Config.GetBool("access.allow-root-owner"));

    private void SetupRundir()
    {
        if (_options.Attributes.TryGetValue("rundir", out var rd))
        {
            Directory.CreateDirectory(rd);
            Rundir = Path.GetFullPath(rd);
        }
        else
        {
            Rundir = Directory.CreateTempSubdirectory("flux-").FullName;
            _ownsRundir = true;
        }
        // Others must reach the socket so that the broker, not the file system, tells them why
        // they are refused.
        File.SetUnixFileMode(Rundir, (UnixFileMode)0b111_101_101);
        LocalUri = "local://" + Path.Combine(Rundir, "local-0");
    }

    private void SetupAttributes()
    {
        const int I = BrokerAttributes.Immutable;
        var inv = CultureInfo.InvariantCulture;
        Attributes.Set("rank", "0", I);
        Attributes.Set("size", Size.ToString(inv), I);
        Attributes.Set("rundir", Rundir, I);
        Attributes.Set("local-uri", _options.Listen ? LocalUri : null, I);
        Attributes.Set("broker.pid", Environment.ProcessId.ToString(inv), I);
        Attributes.Set("broker.starttime", (StartTime.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", inv), I);
        Attributes.Set("version", typeof(Broker).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", I);
        Attributes.Set("instance-level", Environment.GetEnvironmentVariable("FLUX_URI") is null ? "0" : "1", I);
        Attributes.Set("instance-owner", OwnerUid.ToString(inv), I);
        Attributes.Set("hostlist", Environment.MachineName, I);
        Attributes.Set("content.hash", "sha1", I);
        Attributes.Set("statedir", null, I);
        Attributes.Set("broker.rc1_path", string.Join(",", _options.Rc1Modules ?? DefaultRc1), I);
        Attributes.Set("log-ring-size", Log.Capacity.ToString(inv));
        Attributes.Set("log-stderr-level", Log.StderrLevel.ToString(inv));
        Attributes.Set("log-level", "7");
        Attributes.Set("conf.module_path", BuiltinModuleDir);
        Attributes.OnSet("log-ring-size", v => Log.Capacity = ParseInt("log-ring-size", v, 1, 1 << 20));
        Attributes.OnSet("log-stderr-level", v => Log.StderrLevel = ParseInt("log-stderr-level", v, -1, 7));
        foreach (var (k, v) in _options.Attributes)
        {
            var existing = Attributes.Get(k);
            if (UnsupportedAttributes.Why(k) is { } unsupported)
            {
                throw new FluxException(Errno.EINVAL, unsupported);
            }
            if (k == "content.hash" && v is not ("sha1" or "sha256"))
            {
                throw new FluxException(Errno.EINVAL, $"content.hash: expected sha1 or sha256, got '{v}'");
            }
            if (k == "rundir" || existing is { Flags: I } && k is not ("statedir" or "content.hash"))
            {
                if (k != "rundir")
                {
                    throw new FluxException(Errno.EINVAL, $"attribute '{k}' cannot be set on the command line");
                }
                continue;
            }
            if (existing is not null && (existing.Value.Flags & I) == 0)
            {
                Attributes.SetFromClient(k, v);
            }
            else
            {
                Attributes.Set(k, v, k is "statedir" or "content.hash" ? I : 0);
            }
        }
    }

    private static int ParseInt(string name, string v, int min, int max) =>
        int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FluxException(Errno.EINVAL, $"{name}: expected an integer from {min} to {max}, got '{v}'");

    private static void Signal(int pid, int signum)
    {
        try
        {
            _ = kill(pid, signum);
        }
        catch (DllNotFoundException)
        {
            // Not on Linux: nothing to signal with.
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    private static partial int kill(int pid, int sig);
}
