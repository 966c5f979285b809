// FluxTestInstance's job shell plugins: loaded by type or name into every job's shell through an initrc of the instance's, output read back.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Testing;

public sealed partial class FluxTestInstance
{
    private const string ShellRcFile = "flux-testing-initrc.lua";

    // The shell plugins the test loaded, in order: spec (name or path) and conf.
    private readonly List<(string Spec, JsonObject Conf)> _shellPlugins = [];

    /// <summary>
    /// Loads job shell plugin <typeparamref name="TPlugin"/> (marked <c>[FluxPlugin(NAME, PluginKind.ShellPlugin)]</c>)
    /// into the shell of every job submitted afterwards through <see cref="SubmitAsync(JsonObject, int, CancellationToken)"/>,
    /// with <paramref name="conf"/> as its <c>Conf</c>, and returns its name. Needs
    /// <see cref="TestExecution.Real"/>. The shell runs in job-exec, in this process: the plugin is
    /// constructed per job in the test's load context (its <c>IShell</c> the job's shell), after the
    /// builtins, from an initrc the instance writes (<c>plugin.load { file = NAME, conf = {...} }</c>) and
    /// gives each job as its <c>initrc</c> shell option, unless the jobspec sets one. Its errors
    /// (<c>Register</c> throwing, a handler failing) are the job's, as in an instance: a fatal exception
    /// and the shell's message in the job's output (<see cref="OutputAsync"/>).
    /// </summary>
    public async Task<string> LoadShellPluginAsync<TPlugin>(JsonObject? conf = null, CancellationToken cancellationToken = default)
        where TPlugin : class, IFluxPlugin
    {
        RequireShell();
        var name = _inProcess.Add(typeof(TPlugin), PluginKind.ShellPlugin);
        await AddShellPluginAsync(name, conf, cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>
    /// Loads job shell plugins by name (found on the shell plugin path, <c>FLUX_SHELL_PLUGIN_PATH</c>)
    /// or by the path of a <c>.dll</c> (every shell plugin in it, in its own load context per job) into
    /// every later job's shell, as <see cref="LoadShellPluginAsync{TPlugin}"/> does.
    /// </summary>
    public Task LoadShellPluginAsync(string plugin, JsonObject? conf = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(plugin);
        RequireShell();
        return AddShellPluginAsync(Client.Plugins.PluginLoader.IsPath(plugin) ? Path.GetFullPath(plugin) : plugin, conf, cancellationToken);
    }

    /// <summary>
    /// Waits until job <paramref name="id"/> is inactive (see <see cref="WaitForStateAsync"/> for the
    /// timeout) and returns what its tasks and shell wrote, from its output eventlog.
    /// </summary>
    public async Task<JobOutput> OutputAsync(ulong id, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await WaitForStateAsync(id, JobState.Inactive, timeout, cancellationToken).ConfigureAwait(false);
        var key = Fluid.Encode(id, FluidEncoding.Kvs) + ".guest.output";
        var text = await Flux.KvsGetStringAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new FluxException(Errno.ENOENT, $"job {Fluid.Encode(id, FluidEncoding.F58)}: no output eventlog ({key}): did its shell run? (TestExecution.Real)");
        var events = Eventlog.Parse(text);
        StringBuilder stdout = new(), stderr = new();
        var log = new List<string>();
        foreach (var e in events)
        {
            if (e.Name == "data" && e.Context?["data"]?.GetValue<string>() is { } data)
            {
                var bytes = e.Context["encoding"]?.GetValue<string>() == "base64" ? Encoding.UTF8.GetString(Convert.FromBase64String(data)) : data;
                (e.Context["stream"]?.GetValue<string>() == "stderr" ? stderr : stdout).Append(bytes);
            }
            else if (e.Name == "log" && e.Context?["message"]?.GetValue<string>() is { } message)
            {
                log.Add(message);
            }
        }
        return new JobOutput(stdout.ToString(), stderr.ToString(), log, events);
    }

    private async Task AddShellPluginAsync(string spec, JsonObject? conf, CancellationToken cancellationToken)
    {
        if (_shellPlugins.Any(p => p.Spec == spec))
        {
            throw new FluxException(Errno.EEXIST, $"shell plugin {spec} already loaded");
        }
        var table = (JsonObject?)conf?.DeepClone() ?? [];
        var rc = new StringBuilder("-- Written by Flux.Testing: the shell plugins the test loaded, in order.\n");
        foreach (var (s, c) in _shellPlugins.Append((spec, table)))
        {
            rc.Append("plugin.load { file = ").Append(Lua(JsonValue.Create(s), "file")).Append(", conf = ").Append(Lua(c, "conf")).Append(" }\n");
        }
        await File.WriteAllTextAsync(Path.Combine(_configDir!, ShellRcFile), rc.ToString(), cancellationToken).ConfigureAwait(false);
        _shellPlugins.Add((spec, table));
    }

    // The jobspec with the instance's initrc as its initrc shell option, when shell plugins are loaded and it sets none.
    private JsonObject WithShellRc(JsonObject jobspec)
    {
        if (_shellPlugins.Count == 0 || jobspec["attributes"]?["system"]?["shell"]?["options"]?["initrc"] is not null)
        {
            return jobspec;
        }
        var copy = (JsonObject)jobspec.DeepClone();
        var node = copy;
        foreach (var k in (string[])["attributes", "system", "shell", "options"])
        {
            if (node[k] is not JsonObject next)
            {
                node[k] = next = [];
            }
            node = next;
        }
        node["initrc"] = Path.Combine(_configDir!, ShellRcFile);
        return copy;
    }

    // A conf value as a Lua constructor: strings quoted with Lua's escapes, numbers, booleans, arrays, tables; Lua has no JSON null.
    private static string Lua(JsonNode? value, string key) => value switch
    {
        null => throw new ArgumentException($"conf key '{key}' is null: a Lua table cannot hold nil, leave the key out", nameof(value)),
        JsonObject o => "{ " + string.Join(", ", o.Select(kv => "[" + LuaString(kv.Key) + "] = " + Lua(kv.Value, key + "." + kv.Key))) + " }",
        JsonArray a => "{ " + string.Join(", ", a.Select((v, i) => Lua(v, $"{key}[{i}]"))) + " }",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => LuaString(v.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => v.ToJsonString(),
            var k => throw new ArgumentException($"conf key '{key}': a {k} has no Lua form", nameof(value)),
        },
        _ => throw new ArgumentException($"conf key '{key}': unsupported value", nameof(value)),
    };

    // A Lua string literal: quotes, backslashes and control characters escaped (\ddd), the rest as
    // written (the file is UTF-8, and the shell's Lua engine reads it as text, not as bytes).
    private static string LuaString(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (c is '"' or '\\' || char.IsControl(c) && c < 0x80)
            {
                b.Append('\\').Append(((int)c).ToString("D3", CultureInfo.InvariantCulture));
            }
            else
            {
                b.Append(c);
            }
        }
        return b.Append('"').ToString();
    }

    private void RequireShell()
    {
        RequireJobs();
        if (_execution != TestExecution.Real)
        {
            throw new InvalidOperationException($"shell plugins run in a job's shell, which this instance does not start (Execution = {_execution}): set FluxTestOptions.Execution = TestExecution.Real");
        }
    }
}
