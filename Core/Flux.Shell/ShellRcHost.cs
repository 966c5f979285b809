// The job shell as the initrc engine sees it (IShellRcHost): shell.info, options, the job environment,
// Lua plugins on the shell's plugin stack, and the shell's log on the job's stderr.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Formats;
using Flux.Shell.Lua;

namespace Flux.Shell;

/// <summary>
/// Implements flux-shell-initrc(5) over one <see cref="JobShell"/>'s state. Options a script sets are
/// written into the job's shell options, so the builtins that read them later (output, input, pty...)
/// see them; the environment is the job's, which every task starts from.
/// </summary>
internal sealed class ShellRcHost(ShellInfo info, ShellPluginStack plugins, ShellRcHost.Sink sink, string pluginSearchPath) : IShellRcHost
{
    /// <summary>Where the host sends what a script does to the shell beyond its own state.</summary>
    public sealed record Sink(
        Action<int, string> Log,
        Action<string> Die,
        Action<string, JsonObject> LoadCSharpPlugin);

    // Syslog levels of the RFC 24 "log" event, as flux-core's shell logger uses them.
    private const int Fatal = 2;
    private const int Error = 3;
    private const int Notice = 5;
    private const int Debug = 7;
    private const int Trace = 8;

    public int Verbose { get; set; } = VerboseOption(info.Option("verbose"));

    public string PluginSearchPath { get; set; } = pluginSearchPath;

    public IShellRcTask? CurrentTask { get; set; }

    public JsonObject GetInfo() => new()
    {
        ["jobid"] = info.Id,
        ["instance_owner"] = info.UserId,
        ["rank"] = 0,
        ["size"] = 1,
        ["ntasks"] = info.NTasks,
        ["service"] = info.Service,
        // As flux-core's shell.c: shell.info.options is only the verbosity.
        ["options"] = new JsonObject { ["verbose"] = Verbose },
        ["jobspec"] = info.Jobspec.DeepClone(),
        ["R"] = info.R.ToJson(),
    };

    public JsonObject GetRankInfo(int shellRank)
    {
        if (shellRank > 0)
        {
            throw new ArgumentException($"shell rank {shellRank}: No such file or directory");
        }
        var node = info.R.Nodes.Count > 0 ? info.R.Nodes[0] : null;
        return new JsonObject
        {
            ["id"] = 0,
            ["name"] = node?.Hostname ?? Environment.MachineName,
            ["broker_rank"] = node?.Rank ?? 0,
            ["ntasks"] = info.NTasks,
            ["taskids"] = info.NTasks > 0 ? IdSet.FromRange(0, (uint)info.NTasks - 1).ToString() : "",
            ["resources"] = new JsonObject
            {
                ["ncores"] = node?.Cores.Count ?? 0,
                ["cores"] = node?.Cores.ToString() ?? "",
                ["gpus"] = node?.Gpus.ToString() ?? "",
            },
        };
    }

    public JsonNode? GetOption(string name) => info.Options[name]?.DeepClone();

    public void SetOption(string name, JsonNode? value)
    {
        if (value is null)
        {
            info.Options.Remove(name);
        }
        else
        {
            info.Options[name] = value.DeepClone();
        }
    }

    public string? GetEnv(string name) => info.Environment.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string> GetEnvironment() => new Dictionary<string, string>(info.Environment, StringComparer.Ordinal);

    public void SetEnv(string name, string value, bool overwrite)
    {
        if (overwrite || !info.Environment.ContainsKey(name))
        {
            info.Environment[name] = value;
        }
    }

    public void UnsetEnv(string name) => info.Environment.Remove(name);

    /// <summary>
    /// plugin.load of one file: a C# plugin (.dll) goes to the shell's C# plugin loader; a flux-core C plugin
    /// (.so) cannot run in a .NET shell and is refused by name (.lua files never get here: the engine sources them).
    /// A name with no '/' (what the engine passes when no file matched a bare name) is a C# plugin's
    /// [FluxPlugin] name: the loader finds it on the shell plugin path and among the installed packages.
    /// </summary>
    public void LoadPlugin(string path, JsonObject conf)
    {
        if (path.EndsWith(".so", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"{path} is a flux-core C shell plugin: Flux.NET's shell loads C# plugins (.dll) and Lua ones");
        }
        if (!path.Contains('/', StringComparison.Ordinal))
        {
            sink.LoadCSharpPlugin(path, conf);
            return;
        }
        if (!path.EndsWith(".dll", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"{path}: not a shell plugin (a C# plugin is a .dll, a Lua one a .lua file)");
        }
        sink.LoadCSharpPlugin(path, conf);
    }

    /// <summary>
    /// A Lua plugin is one entry on the stack: within one plugin only the first handler matching a topic runs
    /// (flux-core's plugin.c), so the entry takes every topic and picks that handler itself.
    /// </summary>
    public void RegisterPlugin(string name, IReadOnlyList<ShellRcHandler> handlers)
    {
        var list = handlers.ToArray();
        plugins.Register(name, [("*", (topic, args) =>
        {
            foreach (var h in list)
            {
                if (Glob.IsMatch(h.Topic, topic))
                {
                    return h.Invoke(topic, args);
                }
            }
            return ValueTask.FromResult(true);
        })]);
        Log(ShellRcLogLevel.Trace, null, -1, $"lua plugin {name} registered with {list.Length} handler(s)");
    }

    public void Log(ShellRcLogLevel level, string? file, int line, string message)
    {
        int syslog = level switch
        {
            ShellRcLogLevel.Fatal => Fatal,
            ShellRcLogLevel.Error => Error,
            ShellRcLogLevel.Notice => Notice,
            ShellRcLogLevel.Debug => Debug,
            _ => Trace,
        };
        // -o verbose shows debug messages, -o verbose=2 trace as well (flux-shell-options(7)).
        if ((syslog == Debug && Verbose < 1) || (syslog == Trace && Verbose < 2))
        {
            return;
        }
        sink.Log(syslog, file is null ? message : string.Create(CultureInfo.InvariantCulture, $"{file}:{line}: {message}"));
    }

    public void Die(string? file, int line, string message)
    {
        Log(ShellRcLogLevel.Fatal, file, line, message);
        sink.Die(file is null ? message : string.Create(CultureInfo.InvariantCulture, $"{file}:{line}: {message}"));
    }

    /// <summary>flux-core's shell prints to its own stdout, which no user sees under flux run; here it is an INFO line on the job's stderr.</summary>
    public void Print(string text) => sink.Log(Notice, text);

    private static int VerboseOption(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.Number => value.GetValue<int>(),
        JsonValueKind.True => 1,
        JsonValueKind.String => int.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, out var n) ? n : 1,
        _ => 0,
    };
}
