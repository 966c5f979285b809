// FluxTestInstance's job-ingest plugins: validators and frobnicators by type or name, configured in a file of their own and reloaded.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Abstractions.Plugins;
using Flux.Client.Plugins;
using Flux.Formats;

namespace Flux.Testing;

public sealed partial class FluxTestInstance
{
    private const string IngestConfigFile = "flux-testing-ingest.toml";

    // Per stage, the plugins the test loaded, in order: spec (name or path), the names it holds, their conf.
    private readonly List<(string Spec, string[] Names, JsonObject Conf)> _validators = [];
    private readonly List<(string Spec, string[] Names, JsonObject Conf)> _frobnicators = [];

    /// <summary>
    /// Loads validator <typeparamref name="TPlugin"/> (marked <c>[FluxPlugin(NAME, PluginKind.Validator)]</c>)
    /// into job-ingest with <paramref name="conf"/> as its <c>Conf</c> and returns its name. job-ingest
    /// then runs the builtin <c>jobspec</c> validator and the ones loaded here, in load order, on every
    /// submission, as <c>[ingest.validator] plugins = ["jobspec", NAME...]</c> with a
    /// <c>[ingest.validator.NAME]</c> table would. The plugin runs in the test's load context. A
    /// refusal (its <c>Register</c> throwing, its <c>conf.update</c> refusing) throws the
    /// <see cref="FluxException"/> job-ingest reports and leaves the loaded set as it was.
    /// </summary>
    public Task<string> LoadValidatorAsync<TPlugin>(JsonObject? conf = null, CancellationToken cancellationToken = default)
        where TPlugin : class, IFluxPlugin => LoadIngestAsync(typeof(TPlugin), PluginKind.Validator, conf, cancellationToken);

    /// <summary>
    /// Loads frobnicator <typeparamref name="TPlugin"/> (marked <c>[FluxPlugin(NAME, PluginKind.Frobnicator)]</c>)
    /// into job-ingest with <paramref name="conf"/> as its <c>Conf</c> and returns its name: as
    /// <c>[ingest.frobnicator] plugins = [NAME...]</c> would, the ones loaded here run in load order on
    /// every submission, before the validators; what they change is the jobspec job-ingest stores
    /// (<see cref="JobspecAsync"/>). Errors as <see cref="LoadValidatorAsync{TPlugin}"/>.
    /// </summary>
    public Task<string> LoadFrobnicatorAsync<TPlugin>(JsonObject? conf = null, CancellationToken cancellationToken = default)
        where TPlugin : class, IFluxPlugin => LoadIngestAsync(typeof(TPlugin), PluginKind.Frobnicator, conf, cancellationToken);

    /// <summary>
    /// Loads validators by name (found on <see cref="FluxTestOptions.ValidatorPath"/> and the builtins:
    /// <c>feasibility</c>, <c>require-instance</c> ...) or by the path of a <c>.dll</c> (every validator in
    /// it, in its own load context), each with <paramref name="conf"/>. Errors as <see cref="LoadValidatorAsync{TPlugin}"/>.
    /// </summary>
    public Task LoadValidatorAsync(string plugin, JsonObject? conf = null, CancellationToken cancellationToken = default) =>
        LoadIngestAsync(plugin, PluginKind.Validator, conf, cancellationToken);

    /// <summary>Loads frobnicators by name or path, as <see cref="LoadValidatorAsync(string, JsonObject?, CancellationToken)"/> loads validators.</summary>
    public Task LoadFrobnicatorAsync(string plugin, JsonObject? conf = null, CancellationToken cancellationToken = default) =>
        LoadIngestAsync(plugin, PluginKind.Frobnicator, conf, cancellationToken);

    /// <summary>
    /// Takes every validator and frobnicator loaded through this instance out of job-ingest again
    /// (back to the builtin <c>jobspec</c> validator alone, or what the test's own configuration lists).
    /// </summary>
    public async Task ClearIngestPluginsAsync(CancellationToken cancellationToken = default)
    {
        RequireJobs();
        var validators = _validators.ToList();
        var frobnicators = _frobnicators.ToList();
        _validators.Clear();
        _frobnicators.Clear();
        try
        {
            await WriteIngestConfigAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _validators.AddRange(validators);
            _frobnicators.AddRange(frobnicators);
            throw;
        }
    }

    /// <summary>The jobspec job-ingest stored for a job (after the frobnicators), as <c>flux job info ID jobspec</c> shows it.</summary>
    public async Task<JsonObject> JobspecAsync(ulong id, CancellationToken cancellationToken = default)
    {
        RequireJobs();
        var text = await Flux.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".jobspec", cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new FluxException(Errno.ENOENT, $"job {Fluid.Encode(id, FluidEncoding.F58)}: no jobspec in the KVS");
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task<string> LoadIngestAsync(Type type, PluginKind kind, JsonObject? conf, CancellationToken cancellationToken)
    {
        RequireJobs();
        var name = _inProcess.Add(type, kind);
        await AddIngestAsync(kind, name, [name], conf, cancellationToken).ConfigureAwait(false);
        return name;
    }

    private Task LoadIngestAsync(string plugin, PluginKind kind, JsonObject? conf, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(plugin);
        RequireJobs();
        string[] names;
        if (PluginLoader.IsPath(plugin))
        {
            var path = Path.GetFullPath(plugin);
            var md = File.Exists(path) ? PluginMetadata.Read(path) : throw new FluxException(Errno.ENOENT, $"{path}: No such plugin found");
            names = [.. (md?.Entries ?? []).Where(e => e.Kind == kind).Select(e => e.Name)];
            if (names.Length == 0)
            {
                throw new FluxException(Errno.ENOENT, $"{Path.GetFileName(path)}: no type marked [FluxPlugin(..., PluginKind.{kind})]");
            }
            plugin = path;
        }
        else
        {
            names = [plugin];
        }
        return AddIngestAsync(kind, plugin, names, conf, cancellationToken);
    }

    private async Task AddIngestAsync(PluginKind kind, string spec, string[] names, JsonObject? conf, CancellationToken cancellationToken)
    {
        var list = kind == PluginKind.Validator ? _validators : _frobnicators;
        if (list.Any(p => p.Names.Intersect(names, StringComparer.Ordinal).Any()))
        {
            throw new FluxException(Errno.EEXIST, $"{kind.ToString().ToLowerInvariant()} {string.Join(", ", names)} already loaded");
        }
        list.Add((spec, names, (JsonObject?)conf?.DeepClone() ?? []));
        try
        {
            await WriteIngestConfigAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            list.RemoveAt(list.Count - 1);
            throw;
        }
    }

    // Writes the ingest file from the lists and reloads the configuration; on a refusal the file is put back as it was.
    private async Task WriteIngestConfigAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(_configDir!, IngestConfigFile);
        var previous = File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false) : null;
        var text = new StringBuilder("# Written by Flux.Testing: the validators and frobnicators the test loaded.\n");
        Stage(text, "validator", ["jobspec"], _validators);
        Stage(text, "frobnicator", [], _frobnicators);
        if (_validators.Count == 0 && _frobnicators.Count == 0)
        {
            File.Delete(file);
        }
        else
        {
            await File.WriteAllTextAsync(file, text.ToString(), cancellationToken).ConfigureAwait(false);
        }
        try
        {
            await Flux.RpcAsync("config.reload", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (previous is null)
            {
                File.Delete(file);
            }
            else
            {
                await File.WriteAllTextAsync(file, previous, CancellationToken.None).ConfigureAwait(false);
            }
            throw;
        }
    }

    private static void Stage(StringBuilder text, string stage, string[] first, List<(string Spec, string[] Names, JsonObject Conf)> plugins)
    {
        if (plugins.Count == 0)
        {
            return;
        }
        text.Append(CultureInfo.InvariantCulture, $"[ingest.{stage}]\nplugins = [")
            .AppendJoin(", ", first.Concat(plugins.Select(p => p.Spec)).Select(Quote)).Append("]\n");
        foreach (var (_, names, conf) in plugins)
        {
            if (conf.Count == 0)
            {
                continue;
            }
            foreach (var name in names)
            {
                text.Append(CultureInfo.InvariantCulture, $"[ingest.{stage}.{Quote(name)}]\n");
                foreach (var (key, value) in conf)
                {
                    text.Append(Quote(key)).Append(" = ").Append(Toml(value, key)).Append('\n');
                }
            }
        }
    }

    // A JSON string is a TOML basic string: the same quotes and escapes (\", \\, \n, \uXXXX).
    private static string Quote(string s) => JsonSerializer.Serialize(s);

    // A conf value as TOML: strings, numbers, booleans, arrays and tables (inline); TOML has no null.
    private static string Toml(JsonNode? value, string key) => value switch
    {
        null => throw new ArgumentException($"conf key '{key}' is null: TOML has no null, leave the key out", nameof(value)),
        JsonObject o => "{ " + string.Join(", ", o.Select(kv => Quote(kv.Key) + " = " + Toml(kv.Value, key + "." + kv.Key))) + " }",
        JsonArray a => "[" + string.Join(", ", a.Select((v, i) => Toml(v, $"{key}[{i}]"))) + "]",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => Quote(v.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => v.ToJsonString(),
            var k => throw new ArgumentException($"conf key '{key}': a {k} has no TOML form", nameof(value)),
        },
        _ => throw new ArgumentException($"conf key '{key}': unsupported value", nameof(value)),
    };
}
