// Builds version 1 jobspec (RFC 25) from command-line style options, as flux run / flux submit do.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// Builds a version 1 jobspec the way flux-core's <c>flux run</c>/<c>flux submit</c> do
/// (<c>JobspecV1.from_command</c> plus the CLI's option handling). Resource shapes: without a node
/// count, <c>slot{count=ntasks, label=task, with core{count=c}[, gpu{count=g}]}</c>; with <c>-N</c>,
/// <c>node{count=N, with slot{count=ceil(ntasks/N)}}</c> and a task count of <c>total: ntasks</c> when
/// ntasks is not a multiple of N. <c>-N</c> without <c>-n</c> sets ntasks to N and requests the nodes
/// exclusively. Urgency is not part of jobspec. Setters return the builder; <see cref="Build"/> validates.
/// </summary>
public sealed class JobspecBuilder
{
    private readonly string[] _command;
    private readonly List<(string Key, JsonNode? Value)> _attributes = [];
    private readonly List<(string Key, JsonNode? Value)> _options = [];
    private int? _ntasks;
    private int? _nodes;
    private int? _coresPerTask;
    private int? _gpusPerTask;
    private bool _exclusive;
    private double _duration;
    private string? _cwd;
    private Dictionary<string, string>? _environment;
    private string? _name;
    private string? _queue;

    /// <summary>Starts a jobspec for <paramref name="command"/> (the program and its arguments; must not be empty).</summary>
    public JobspecBuilder(IEnumerable<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _command = [.. command];
    }

    /// <summary>Number of tasks (<c>-n</c>); at least 1. Default: the node count if given, else 1.</summary>
    public JobspecBuilder Tasks(int count) { _ntasks = count; return this; }

    /// <summary>Number of nodes (<c>-N</c>); at least 1 and not more than the task count.</summary>
    public JobspecBuilder Nodes(int count) { _nodes = count; return this; }

    /// <summary>Cores per task (<c>-c</c>); at least 1, default 1.</summary>
    public JobspecBuilder CoresPerTask(int count) { _coresPerTask = count; return this; }

    /// <summary>GPUs per task (<c>-g</c>); at least 0, default none.</summary>
    public JobspecBuilder GpusPerTask(int count) { _gpusPerTask = count; return this; }

    /// <summary>Requests the nodes exclusively (<c>-x</c>); only valid with a node count.</summary>
    public JobspecBuilder Exclusive(bool exclusive = true) { _exclusive = exclusive; return this; }

    /// <summary>Time limit in seconds (<c>-t</c>, already converted from FSD); 0 means unset.</summary>
    public JobspecBuilder Duration(double seconds) { _duration = seconds; return this; }

    /// <summary>Working directory (<c>attributes.system.cwd</c>).</summary>
    public JobspecBuilder Cwd(string path) { _cwd = path; return this; }

    /// <summary>The job's whole environment (<c>attributes.system.environment</c>), replacing any set before.</summary>
    public JobspecBuilder Environment(IEnumerable<KeyValuePair<string, string>> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in environment)
        {
            _environment[k] = v;
        }
        return this;
    }

    /// <summary>Sets one environment variable.</summary>
    public JobspecBuilder SetEnv(string name, string value)
    {
        (_environment ??= new(StringComparer.Ordinal))[name] = value;
        return this;
    }

    /// <summary>Job name (<c>--job-name</c>, stored as <c>attributes.system.job.name</c>).</summary>
    public JobspecBuilder Name(string name) { _name = name; return this; }

    /// <summary>Queue (<c>-q</c>, stored as <c>attributes.system.queue</c>).</summary>
    public JobspecBuilder Queue(string queue) { _queue = queue; return this; }

    /// <summary>
    /// <c>--setattr KEY=VAL</c>: VAL is parsed as JSON, or taken as a string when it is not JSON; a bare
    /// KEY sets 1. KEY is under <c>attributes</c>; <c>system.</c> is implied unless KEY starts with
    /// <c>system.</c>, <c>user.</c> or <c>.</c> (a leading dot is removed and addresses attributes directly).
    /// </summary>
    public JobspecBuilder SetAttr(string keyValue)
    {
        var (key, value) = SplitKeyValue(keyValue, "--setattr");
        return SetAttr(key, value);
    }

    /// <summary>Sets attribute <paramref name="key"/> (see <see cref="SetAttr(string)"/> for the key rules) to a JSON value.</summary>
    public JobspecBuilder SetAttr(string key, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _attributes.Add((key, value));
        return this;
    }

    /// <summary>
    /// <c>--setopt KEY[=VAL]</c>: a shell option at <c>attributes.system.shell.options.KEY</c>; VAL is
    /// parsed as JSON or taken as a string; a bare KEY sets 1.
    /// </summary>
    public JobspecBuilder SetOpt(string keyValue)
    {
        var (key, value) = SplitKeyValue(keyValue, "--setopt");
        return SetOpt(key, value);
    }

    /// <summary>Sets shell option <paramref name="key"/> (dotted path) to a JSON value.</summary>
    public JobspecBuilder SetOpt(string key, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _options.Add((key, value));
        return this;
    }

    /// <summary>
    /// Builds the jobspec. Throws <see cref="FluxException"/> (EINVAL) for inconsistent options, with
    /// flux-core's rules: empty command, counts below their minimum, more nodes than tasks, exclusive
    /// without a node count, a negative or non-finite duration, or an attribute path through a non-object.
    /// The result passes <see cref="JobspecV1.Validate"/>.
    /// </summary>
    public JsonObject Build()
    {
        if (_command.Length == 0)
        {
            throw Fail("command must not be empty");
        }
        var exclusive = _exclusive;
        var ntasks = _ntasks;
        if (ntasks is null && _nodes is not null)
        {
            ntasks = _nodes;
            exclusive = true;
        }
        var tasks = ntasks ?? 1;
        var cores = _coresPerTask ?? 1;
        if (tasks < 1)
        {
            throw Fail("task count must be an integer >= 1");
        }
        if (cores < 1)
        {
            throw Fail("cores per task must be an integer >= 1");
        }
        if (_gpusPerTask < 0)
        {
            throw Fail("gpus per task must be an integer >= 0");
        }
        if (_nodes is { } n)
        {
            if (n < 1)
            {
                throw Fail("node count must be an integer >= 1 (if set)");
            }
            if (n > tasks)
            {
                throw Fail("node count must not be greater than task count");
            }
        }
        else if (exclusive)
        {
            throw Fail("exclusive can only be set with a node count");
        }
        if (!double.IsFinite(_duration) || _duration < 0)
        {
            throw Fail("duration must be a non-negative, finite number of seconds");
        }

        var children = new JsonArray(Resource("core", cores, null, false));
        if (_gpusPerTask is > 0 and var g)
        {
            children.Add((JsonNode)Resource("gpu", g, null, false));
        }
        JsonObject resource;
        JsonObject count;
        if (_nodes is { } nodes)
        {
            var slots = (tasks + nodes - 1) / nodes;
            // An uneven spread wastes slots, so the task count is then given as a total.
            count = tasks % nodes != 0 ? new JsonObject { ["total"] = tasks } : new JsonObject { ["per_slot"] = 1 };
            resource = Resource("node", nodes, new JsonArray(Slot(slots, children)), exclusive);
        }
        else
        {
            count = new JsonObject { ["per_slot"] = 1 };
            resource = Slot(tasks, children);
        }
        var system = new JsonObject { ["duration"] = _duration };
        var attributes = new JsonObject { ["system"] = system };
        if (_cwd is not null)
        {
            system["cwd"] = _cwd;
        }
        if (_environment is not null)
        {
            var env = new JsonObject();
            foreach (var (k, v) in _environment)
            {
                env[k] = v;
            }
            system["environment"] = env;
        }
        if (_name is not null)
        {
            SetPath(attributes, "system.job.name", _name, "--job-name");
        }
        foreach (var (key, value) in _options)
        {
            SetPath(attributes, "system.shell.options." + key, value?.DeepClone(), "--setopt");
        }
        if (_queue is not null)
        {
            system["queue"] = _queue;
        }
        foreach (var (key, value) in _attributes)
        {
            var path = key.StartsWith('.') || key.StartsWith("user.", StringComparison.Ordinal) || key.StartsWith("system.", StringComparison.Ordinal)
                ? key.TrimStart('.')
                : "system." + key;
            SetPath(attributes, path, value?.DeepClone(), "--setattr");
        }
        return new JsonObject
        {
            ["resources"] = new JsonArray(resource),
            ["tasks"] = new JsonArray(new JsonObject
            {
                ["command"] = new JsonArray([.. _command.Select(a => (JsonNode?)JsonValue.Create(a))]),
                ["slot"] = "task",
                ["count"] = count,
            }),
            ["attributes"] = attributes,
            ["version"] = 1,
        };
    }

    private static JsonObject Resource(string type, int count, JsonArray? with, bool exclusive)
    {
        var o = new JsonObject { ["type"] = type, ["count"] = count };
        if (exclusive)
        {
            o["exclusive"] = true;
        }
        if (with is not null)
        {
            o["with"] = with;
        }
        return o;
    }

    private static JsonObject Slot(int count, JsonArray children)
    {
        var slot = Resource("slot", count, children, false);
        slot["label"] = "task";
        return slot;
    }

    // Python's set_treedict(): create objects along the dotted path, refuse to go through a non-object.
    private static void SetPath(JsonObject root, string path, JsonNode? value, string option)
    {
        var parts = path.Split('.');
        var o = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (parts[i].Length == 0)
            {
                throw Fail($"{option}: empty component in key '{path}'");
            }
            if (!o.TryGetPropertyValue(parts[i], out var next) || next is null)
            {
                next = new JsonObject();
                o[parts[i]] = next;
            }
            o = next as JsonObject
                ?? throw Fail($"{option}: cannot set '{path}': attributes.{string.Join('.', parts[..(i + 1)])} is not an object");
        }
        if (parts[^1].Length == 0)
        {
            throw Fail($"{option}: empty component in key '{path}'");
        }
        o[parts[^1]] = value;
    }

    private static (string Key, JsonNode? Value) SplitKeyValue(string keyValue, string option)
    {
        ArgumentNullException.ThrowIfNull(keyValue);
        var eq = keyValue.IndexOf('=', StringComparison.Ordinal);
        var key = eq < 0 ? keyValue : keyValue[..eq];
        if (key.Length == 0)
        {
            throw Fail($"{option}: missing key in '{keyValue}'");
        }
        if (eq < 0)
        {
            return (key, JsonValue.Create(1));
        }
        var text = keyValue[(eq + 1)..];
        try
        {
            return (key, JsonNode.Parse(text));
        }
        catch (JsonException)
        {
            return (key, JsonValue.Create(text));
        }
    }

    private static FluxException Fail(string message) => new(Errno.EINVAL, message);
}
