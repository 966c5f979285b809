// The JSON arguments of one plugin call: IN from the host, OUT back to it (flux_plugin_arg_t).
using System.Text.Json.Nodes;

namespace Flux.Abstractions.Plugins;

/// <summary>
/// Arguments of one handler call. <see cref="In"/> holds what the host passes (for a job topic:
/// <c>id</c>, <c>userid</c>, <c>urgency</c>, <c>priority</c>, <c>state</c>, <c>t_submit</c>,
/// <c>jobspec</c>, and per topic <c>entry</c>, <c>prev_state</c>, <c>dependency</c>, <c>conf</c> ...);
/// it is built on first use, so a handler that reads nothing costs nothing. <see cref="Out"/> is what
/// the handler gives back (<c>priority</c>, <c>data</c> ...); each plugin's handler sees the OUT the
/// previous ones left. Valid only during the call.
/// </summary>
public sealed class PluginArgs
{
    private readonly Func<JsonObject>? _input;
    private JsonObject? _in;
    private JsonObject? _out;

    /// <summary>Arguments whose IN is built by <paramref name="input"/> when first read (empty if null).</summary>
    public PluginArgs(Func<JsonObject>? input = null)
    {
        _input = input;
    }

    /// <summary>Arguments with a given IN object.</summary>
    public PluginArgs(JsonObject input)
    {
        _in = input;
    }

    /// <summary>The host's arguments (flux_plugin_arg_unpack with FLUX_PLUGIN_ARG_IN).</summary>
    public JsonObject In => _in ??= _input?.Invoke() ?? [];

    /// <summary>The handler's results (flux_plugin_arg_pack with FLUX_PLUGIN_ARG_OUT).</summary>
    public JsonObject Out => _out ??= [];

    /// <summary>Whether any handler wrote to <see cref="Out"/>.</summary>
    public bool HasOut => _out is { Count: > 0 };

    /// <summary>
    /// The failure message a handler left (OUT <c>errmsg</c> in flux-core): at <c>job.validate</c> the
    /// submitter sees it; at <c>conf.update</c> the reload or load reports it.
    /// </summary>
    public string? ErrorMessage { get; set; }

    /// <summary>Sets <see cref="ErrorMessage"/> and returns false, so a handler can <c>return args.Error("...")</c>.</summary>
    public bool Error(string message)
    {
        ErrorMessage = message;
        return false;
    }
}
