// An IShell for testing builtin shell plugins without a broker: options, environment, tasks, and what they logged or died of.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Shell.Tests;

internal sealed class FakeShell(int ntasks, string cores = "0", string gpus = "") : IShell
{
    private readonly Dictionary<string, string> _env = [];

    public List<string> Logged { get; } = [];

    public (int Code, string Message)? Died { get; private set; }

    public List<IShellTask> TaskList { get; } = [];

    public IShellTask? Current { get; set; }

    public IFlux Flux => throw new InvalidOperationException("no broker in this test");

    public ulong JobId => 42;

    public int Rank => 0;

    public int Size => 1;

    public int NTasks => ntasks;

    public string Service => "1000-shell-42";

    public JsonObject Jobspec { get; } = [];

    public JsonObject R { get; } = [];

    public JsonObject Info => new() { ["jobid"] = JobId };

    public JsonObject Options { get; } = [];

    public IReadOnlyDictionary<string, string> Environment => _env;

    public IShellTask? CurrentTask => Current;

    public IReadOnlyList<IShellTask> Tasks => TaskList;

    public JsonObject RankInfo(int shellRank = -1) => new()
    {
        ["id"] = 0,
        ["ntasks"] = ntasks,
        ["resources"] = new JsonObject { ["cores"] = cores, ["gpus"] = gpus },
    };

    public JsonNode? GetOption(string name) => Options[name];

    public void SetOption(string name, JsonNode? value) => Options[name] = value;

    public string? GetEnv(string name) => _env.GetValueOrDefault(name);

    public void SetEnv(string name, string value, bool overwrite = true) => _env[name] = value;

    public void UnsetEnv(string name) => _env.Remove(name);

    public void Log(string message) => Logged.Add(message);

    public void Debug(string message) => Logged.Add("debug: " + message);

    public void LogError(string message) => Logged.Add("error: " + message);

    public void Die(int exitCode, string message) => Died = (exitCode, message);

    public void KillAll(int signum) => Logged.Add($"killall {signum}");
}
