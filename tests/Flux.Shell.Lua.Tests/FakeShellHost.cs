// A job shell for the initrc engine's tests: records what scripts do and calls Lua handlers the way the shell's plugin stack will.
using System.Text.Json.Nodes;
using Flux.Formats;
using Flux.Shell.Lua;

namespace Flux.Shell.Lua.Tests;

internal sealed class FakeShellHost : IShellRcHost
{
    public JsonObject Info { get; set; } = new()
    {
        ["jobid"] = 1234, ["instance_owner"] = 1000, ["rank"] = 0, ["size"] = 1, ["ntasks"] = 1,
        ["service"] = "1000-shell-1234", ["options"] = new JsonObject { ["verbose"] = 0, ["standalone"] = true },
        ["jobspec"] = new JsonObject { ["version"] = 1, ["attributes"] = new JsonObject { ["system"] = new JsonObject() } },
        ["R"] = new JsonObject { ["version"] = 1 }, ["constrained_resources"] = false,
    };

    public List<JsonObject> Ranks { get; } =
    [
        new JsonObject
        {
            ["id"] = 0, ["name"] = "node0", ["broker_rank"] = 0, ["ntasks"] = 1, ["taskids"] = "0",
            ["resources"] = new JsonObject { ["ncores"] = 2, ["cores"] = "0,1", ["gpus"] = "" },
        },
    ];

    public Dictionary<string, JsonNode?> Options { get; } = [];
    public Dictionary<string, string> Env { get; } = new() { ["HOME"] = "/home/user", ["PATH"] = "/usr/bin:/bin" };
    public List<(ShellRcLogLevel Level, string? File, int Line, string Message)> Logs { get; } = [];
    public List<string> Printed { get; } = [];
    public List<(string Path, JsonObject Conf)> Loaded { get; } = [];
    public List<(string Name, IReadOnlyList<ShellRcHandler> Handlers)> Plugins { get; } = [];
    public List<string> Died { get; } = [];

    /// <summary>Plugin files whose load fails, with the message the loader gives.</summary>
    public Dictionary<string, string> FailingPlugins { get; } = [];

    public int Verbose { get; set; }
    public string PluginSearchPath { get; set; } = "";
    public IShellRcTask? CurrentTask { get; set; }

    public JsonObject GetInfo() => (JsonObject)Info.DeepClone();

    public JsonObject GetRankInfo(int shellRank)
    {
        int rank = shellRank < 0 ? 0 : shellRank;
        return rank < Ranks.Count ? (JsonObject)Ranks[rank].DeepClone() : throw new ArgumentException("No such file or directory");
    }

    public JsonNode? GetOption(string name) => Options.TryGetValue(name, out var v) ? v?.DeepClone() : null;

    public void SetOption(string name, JsonNode? value)
    {
        if (value is null)
        {
            Options.Remove(name);
        }
        else
        {
            Options[name] = value;
        }
    }

    public string? GetEnv(string name) => Env.GetValueOrDefault(name);
    public IReadOnlyDictionary<string, string> GetEnvironment() => new Dictionary<string, string>(Env);

    public void SetEnv(string name, string value, bool overwrite)
    {
        if (overwrite || !Env.ContainsKey(name))
        {
            Env[name] = value;
        }
    }

    public void UnsetEnv(string name) => Env.Remove(name);

    public void LoadPlugin(string path, JsonObject conf)
    {
        if (FailingPlugins.TryGetValue(Path.GetFileName(path), out var why))
        {
            throw new InvalidOperationException(why);
        }
        Loaded.Add((path, conf));
    }

    public void RegisterPlugin(string name, IReadOnlyList<ShellRcHandler> handlers)
    {
        Plugins.RemoveAll(p => p.Name == name);
        Plugins.Add((name, handlers));
    }

    public void Log(ShellRcLogLevel level, string? file, int line, string message) => Logs.Add((level, file, line, message));

    public void Die(string? file, int line, string message)
    {
        Died.Add($"{file}:{line}: {message}");
        Log(ShellRcLogLevel.Fatal, file, line, message);
    }

    public void Print(string text) => Printed.Add(text);

    /// <summary>Calls every matching handler in registration order, as the shell's plugin stack does; returns the plugins that failed.</summary>
    public async Task<List<string>> CallAsync(string topic, IShellRcTask? task = null)
    {
        CurrentTask = task;
        var failed = new List<string>();
        try
        {
            foreach (var (name, handlers) in Plugins.ToList())
            {
                // Within one plugin only the first matching handler runs (flux-core plugin.c).
                var handler = handlers.FirstOrDefault(h => Glob.IsMatch(h.Topic, topic));
                if (handler is not null && !await handler.Invoke(topic, []))
                {
                    failed.Add(name);
                }
            }
        }
        finally
        {
            CurrentTask = null;
        }
        return failed;
    }

    /// <summary>Log lines as flux-core's shell prints them ("LEVEL: file:line: message"), for greps like t2603's.</summary>
    public IEnumerable<string> LogText => Logs.Select(l =>
        $"{LevelName(l.Level)}: " + (l.File is null ? "" : $"{l.File}:{l.Line}: ") + l.Message);

    private static string LevelName(ShellRcLogLevel level) => level switch
    {
        ShellRcLogLevel.Fatal => "FATAL",
        ShellRcLogLevel.Error => "ERROR",
        ShellRcLogLevel.Notice => "INFO",
        ShellRcLogLevel.Debug => "DEBUG",
        _ => "TRACE",
    };
}
