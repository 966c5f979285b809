// The RFC 42 command object of a rexec.exec request (flux-core's cmd_fromjson), checked and made ready to spawn.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Core.Rexec;

/// <summary>
/// <c>{cwd?, cmdline, env, opts, channels, label?, msgchan?}</c> as src/common/libsubprocess/command.c
/// reads it: <c>cmdline</c> a non-empty array of strings, <c>env</c> an object of strings (empty: the
/// server's environment), <c>opts</c> an object of strings, <c>channels</c> an array of names.
/// Auxiliary channels and message channels are refused (Flux.NET's server does not create them), and
/// so is an option it does not act on.
/// </summary>
internal sealed class RexecCommand
{
    /// <summary>stdin's buffer when <c>stdin_BUFSIZE</c> is not given: the credit flux-core grants (exec.trace).</summary>
    public const int DefaultBufferSize = 4 * 1024 * 1024;

    private static readonly string[] KnownOptions =
        ["stdin_BUFSIZE", "stdout_BUFSIZE", "stderr_BUFSIZE", "stdout_LINE_BUFFER", "stderr_LINE_BUFFER"];

    private RexecCommand(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, string? cwd, string? label, JsonObject json)
    {
        Argv = argv;
        Env = env;
        Cwd = cwd;
        Label = label;
        Json = json;
    }

    /// <summary>argv; never empty.</summary>
    public IReadOnlyList<string> Argv { get; }

    /// <summary>The environment the client asked for (empty: the server's own).</summary>
    public IReadOnlyDictionary<string, string> Env { get; }

    /// <summary>The working directory, or null for the server's.</summary>
    public string? Cwd { get; }

    /// <summary>The label (unique among the server's processes), or null.</summary>
    public string? Label { get; }

    /// <summary>The command object as received.</summary>
    public JsonObject Json { get; }

    /// <summary>stdin's buffer: the credit granted at start and the most that may wait to be written.</summary>
    public int StdinBufferSize { get; private init; } = DefaultBufferSize;

    /// <summary>Whether stdout is sent a line per response (flux-core's default), else as it is read.</summary>
    public bool StdoutLineBuffered { get; private init; } = true;

    /// <summary>Whether stderr is sent a line per response.</summary>
    public bool StderrLineBuffered { get; private init; } = true;

    /// <summary>The most of a line held back before it is sent unfinished.</summary>
    public int StdoutBufferSize { get; private init; } = DefaultBufferSize;

    /// <summary>The most of a stderr line held back before it is sent unfinished.</summary>
    public int StderrBufferSize { get; private init; } = DefaultBufferSize;

    /// <summary>Reads the command object; EPROTO for a malformed one, EINVAL for what the server does not do.</summary>
    public static RexecCommand Parse(JsonNode? node)
    {
        if (node is not JsonObject o)
        {
            throw Proto("'cmd' must be an object");
        }
        if (o["cmdline"] is not JsonArray cmdline)
        {
            throw Proto("'cmdline' must be an array of strings");
        }
        var argv = cmdline.Select<JsonNode?, string>(a => a is JsonValue v && v.TryGetValue(out string? s) ? s : throw Proto("'cmdline' must be an array of strings")).ToList();
        if (argv.Count == 0)
        {
            throw Proto("command string is empty");
        }
        var env = StringMap(o, "env");
        var opts = StringMap(o, "opts");
        if (o["channels"] is not JsonArray channels)
        {
            throw Proto("'channels' must be an array");
        }
        if (channels.Count > 0)
        {
            throw new FluxException(Errno.EINVAL, $"auxiliary channels ({string.Join(", ", channels.Select(c => c?.ToJsonString()))}) are not supported by this subprocess server");
        }
        if (o["msgchan"] is { } msgchan && (msgchan is not JsonArray m || m.Count > 0))
        {
            throw new FluxException(Errno.EINVAL, "message channels ('msgchan') are not supported by this subprocess server");
        }
        var cwd = OptionalString(o, "cwd");
        var label = OptionalString(o, "label");
        foreach (var name in opts.Keys)
        {
            if (Array.IndexOf(KnownOptions, name) < 0)
            {
                throw new FluxException(Errno.EINVAL, $"subprocess option '{name}' is not supported (supported: {string.Join(", ", KnownOptions)})");
            }
        }
        return new RexecCommand(argv, env, cwd, label, o)
        {
            StdinBufferSize = Size(opts, "stdin_BUFSIZE"),
            StdoutBufferSize = Size(opts, "stdout_BUFSIZE"),
            StderrBufferSize = Size(opts, "stderr_BUFSIZE"),
            StdoutLineBuffered = Bool(opts, "stdout_LINE_BUFFER"),
            StderrLineBuffered = Bool(opts, "stderr_LINE_BUFFER"),
        };
    }

    private static Dictionary<string, string> StringMap(JsonObject o, string key)
    {
        if (o[key] is not JsonObject map)
        {
            throw Proto($"'{key}' must be an object of strings");
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in map)
        {
            result[k] = v is JsonValue jv && jv.TryGetValue(out string? s) ? s : throw Proto($"'{key}.{k}' must be a string");
        }
        return result;
    }

    private static string? OptionalString(JsonObject o, string key) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => throw Proto($"'{key}' must be a string"),
    };

    // flux-core's parse_size: a count of bytes with an optional k, M or G suffix.
    private static int Size(Dictionary<string, string> opts, string name)
    {
        if (!opts.TryGetValue(name, out var text))
        {
            return DefaultBufferSize;
        }
        var suffix = text.Length > 0 ? char.ToUpperInvariant(text[^1]) : '\0';
        var scale = suffix switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            _ => 1L,
        };
        var digits = scale == 1 ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n * scale > int.MaxValue)
        {
            throw new FluxException(Errno.EINVAL, $"subprocess option {name}={text}: expected a size in bytes (e.g. 65536, 64k, 4M), at most 2G-1");
        }
        return (int)(n * scale);
    }

    private static bool Bool(Dictionary<string, string> opts, string name) =>
        !opts.TryGetValue(name, out var text) ? true
        : text == "true" ? true
        : text == "false" ? false
        : throw new FluxException(Errno.EINVAL, $"subprocess option {name}={text}: expected true or false");

    private static FluxException Proto(string what) => new(Errno.EPROTO, $"error parsing command string: {what}");
}
