// A task for task.* callbacks in the initrc engine's tests.
using System.Text.Json.Nodes;
using Flux.Shell.Lua;

namespace Flux.Shell.Lua.Tests;

internal sealed class FakeTask(Dictionary<string, string> env) : IShellRcTask
{
    public JsonObject Info { get; set; } = new() { ["localid"] = 0, ["rank"] = 0, ["state"] = "Init" };
    public Dictionary<string, string> Env { get; } = new(env);

    public JsonObject GetInfo() => (JsonObject)Info.DeepClone();
    public string? GetEnv(string name) => Env.GetValueOrDefault(name);

    public void SetEnv(string name, string value, bool overwrite)
    {
        if (overwrite || !Env.ContainsKey(name))
        {
            Env[name] = value;
        }
    }

    public void UnsetEnv(string name) => Env.Remove(name);
}
