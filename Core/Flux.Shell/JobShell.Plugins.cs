// The shell as its plugins see it (IShell), the tasks they may change before they start, and the
// plugin loader of this job.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;
using Microsoft.Extensions.Logging;

namespace Flux.Shell;

public sealed partial class JobShell
{
    // RFC 24 log levels of the shell's messages on the job's stderr.
    private const int LevelError = 3;
    private const int LevelInfo = 6;
    private const int LevelDebug = 7;

    private readonly List<PluginTask> _pluginTasks = [];
    private PluginTask? _current;

    /// <summary>This job's C# shell plugins: <c>plugin.load</c> and the default loading go through it.</summary>
    public ShellPluginLoader PluginLoader { get; }

    /// <summary>What the shell's plugins are given (<see cref="IShell"/>).</summary>
    public IShell Api { get; }

    /// <summary>
    /// Constructs this job's builtins (none when the builtin assembly is not installed) and, unless
    /// <c>-o initrc=F</c> replaces the system initrc, the C# plugins on the shell plugin path (as
    /// flux-core's system initrc loads the plugin path's plugins and a replacing initrc loads what it
    /// chooses). The loader finds them by their [FluxPlugin] name, in plugin folders and installed
    /// packages too, which a file glob in the initrc would not.
    /// </summary>
    private void LoadPlugins(IReadOnlyList<(string Name, Type Type)> builtins)
    {
        PluginLoader.LoadBuiltins(builtins, new BuiltinServices(this));
        if (_loadSearchPath && _info.Option("initrc") is null)
        {
            PluginLoader.LoadSearchPath();
        }
    }

    /// <summary>A plugin's handler failed: its message goes to the job's stderr as the shell's error.</summary>
    private void ReportPluginError(string message) => _output.Log(LevelError, message);

    /// <summary>The task of a rank as plugins may change it before it starts: the job environment plus the task variables.</summary>
    private PluginTask NewTask(int rank, string cwd)
    {
        var env = new Dictionary<string, string>(_info.Environment, StringComparer.Ordinal)
        {
            ["FLUX_JOB_ID"] = JobIdF58(),
            ["FLUX_JOB_SIZE"] = _info.NTasks.ToString(CultureInfo.InvariantCulture),
            ["FLUX_JOB_NNODES"] = _info.NNodes.ToString(CultureInfo.InvariantCulture),
            ["FLUX_JOB_TMPDIR"] = Path.GetTempPath(),
            ["FLUX_TASK_RANK"] = rank.ToString(CultureInfo.InvariantCulture),
            ["FLUX_TASK_LOCAL_ID"] = rank.ToString(CultureInfo.InvariantCulture),
            ["FLUX_URI"] = _fluxUri,
            ["FLUX_KVS_NAMESPACE"] = _ns,
        };
        var task = new PluginTask(rank, rank, _info.Command, cwd, env);
        _pluginTasks.Add(task);
        return task;
    }

    /// <summary>
    /// The job ID as flux-core's shell gives it to tasks: F58, with the ASCII <c>f</c> prefix when the
    /// job's environment asks for it (FLUX_F58_FORCE_ASCII, or a locale that is not UTF-8).
    /// </summary>
    private string JobIdF58()
    {
        var plain = Fluid.Encode(_info.Id, FluidEncoding.F58Plain);
        return Fluid.UseAsciiF58From(k => _info.Environment.TryGetValue(k, out var v) ? v : null) ? plain : "\u0192" + plain[1..];
    }

    /// <summary>shell_die from a plugin: the run ends with the message as its error, the tasks killed.</summary>
    private void DieFromPlugin(int exitCode, string message)
    {
        _output.Log(2, message);
        _fatal ??= new FluxException(Errno.EIO, message);
        _dieExitCode ??= exitCode;
        Kill(KillSignal);
    }

    private int? _dieExitCode;

    private bool Verbose => _info.Option("verbose") is { } v && (v.GetValueKind() == System.Text.Json.JsonValueKind.True
        || (v.GetValueKind() == System.Text.Json.JsonValueKind.Number && double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) >= 1));

    /// <summary>The services a builtin's constructor may ask for.</summary>
    private sealed class BuiltinServices(JobShell shell) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(IShell) ? shell.Api
            : serviceType == typeof(IFlux) ? shell._flux
            : serviceType == typeof(FluxConfig) ? shell._flux.Config
            : serviceType == typeof(ILogger) ? shell._log
            : null;
    }

    /// <summary>The <see cref="IShell"/> of this job.</summary>
    private sealed class PluginView(JobShell shell) : IShell
    {
        private ShellInfo Info_ => shell._info;

        public IFlux Flux => shell._flux;

        public ulong JobId => Info_.Id;

        public int Rank => 0;

        public int Size => 1;

        public int NTasks => Info_.NTasks;

        public string Service => Info_.Service;

        public JsonObject Jobspec => Info_.Jobspec;

        public JsonObject R => Info_.R.ToJson();

        public JsonObject Info => new()
        {
            ["jobid"] = JobId,
            ["instance_owner"] = Info_.UserId,
            ["rank"] = Rank,
            ["size"] = Size,
            ["ntasks"] = NTasks,
            ["service"] = Service,
            ["options"] = new JsonObject { ["verbose"] = shell.Verbose ? 1 : 0, ["standalone"] = false },
            ["jobspec"] = Jobspec.DeepClone(),
            [nameof(R)] = R,
            // flux_shell_get_taskmap's map (RFC 34), which PMI hands to tasks.
            ["taskmap"] = new JsonObject { ["version"] = 1, ["map"] = Info_.TaskMap() },
        };

        public JsonObject Options => Info_.Options;

        public IReadOnlyDictionary<string, string> Environment => Info_.Environment;

        public IShellTask? CurrentTask => shell._current;

        public IReadOnlyList<IShellTask> Tasks => shell._pluginTasks;

        public JsonObject RankInfo(int shellRank = -1)
        {
            if (shellRank is not (-1 or 0))
            {
                throw new FluxException(Errno.EINVAL, $"shell rank {shellRank}: the job has shell ranks 0-{Size - 1}");
            }
            var node = Info_.R.Nodes.Count > 0 ? Info_.R.Nodes[0] : null;
            var cores = node?.Cores ?? IdSet.Empty;
            return new JsonObject
            {
                ["id"] = 0,
                ["name"] = node?.Hostname ?? System.Environment.MachineName,
                ["broker_rank"] = node?.Rank ?? 0,
                ["ntasks"] = NTasks,
                ["taskids"] = NTasks > 0 ? $"0-{NTasks - 1}" : string.Empty,
                ["resources"] = new JsonObject
                {
                    ["ncores"] = cores.Count,
                    ["cores"] = cores.Encode(IdSetFormat.Range),
                    ["gpus"] = (node?.Gpus ?? IdSet.Empty).Encode(IdSetFormat.Range),
                },
            };
        }

        public JsonNode? GetOption(string name) => Info_.Options.TryGetPropertyValue(name, out var v) ? v : null;

        public void SetOption(string name, JsonNode? value)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            if (value is null)
            {
                Info_.Options.Remove(name);
            }
            else
            {
                Info_.Options[name] = value.Parent is null ? value : value.DeepClone();
            }
        }

        public string? GetEnv(string name) => Info_.Environment.GetValueOrDefault(name);

        public void SetEnv(string name, string value, bool overwrite = true)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(value);
            if (overwrite || !Info_.Environment.ContainsKey(name))
            {
                Info_.Environment[name] = value;
            }
        }

        public void UnsetEnv(string name) => Info_.Environment.Remove(name);

        public void Log(string message) => shell._output.Log(LevelInfo, message);

        public void Debug(string message)
        {
            if (shell.Verbose)
            {
                shell._output.Log(LevelDebug, message);
            }
        }

        public void LogError(string message) => shell._output.Log(LevelError, message);

        public void Die(int exitCode, string message) => shell.DieFromPlugin(exitCode, message);

        public void KillAll(int signum) => shell.Kill(signum);
    }
}
