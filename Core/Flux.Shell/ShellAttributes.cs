// The broker attributes a job shell reads as it starts: the system initrc and the shell plugin path.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Shell;

/// <summary>
/// <c>conf.shell_initrc</c> and <c>conf.shell_pluginpath</c> as they were when the job started
/// (null: the attribute is not set). Both can be changed while the instance runs (<c>flux setattr</c>),
/// so they are read once per job, as flux-core's shell reads them at its start. job-exec reads them
/// while it creates the job's namespace and sends them with the job to the shell host, so that a
/// shell in the host starts its initrc at once instead of asking the broker twice and waiting.
/// </summary>
public sealed record ShellAttributes(string? Initrc, string? PluginPath)
{
    /// <summary>The system initrc's attribute.</summary>
    public const string InitrcName = "conf.shell_initrc";

    /// <summary>The shell plugin path's attribute.</summary>
    public const string PluginPathName = "conf.shell_pluginpath";

    /// <summary>Reads both attributes from the broker, together.</summary>
    public static async Task<ShellAttributes> ReadAsync(IFlux flux)
    {
        ArgumentNullException.ThrowIfNull(flux);
        var initrc = flux.GetAttrAsync(InitrcName).AsTask();
        var pluginPath = flux.GetAttrAsync(PluginPathName).AsTask();
        return new ShellAttributes(await initrc.ConfigureAwait(true), await pluginPath.ConfigureAwait(true));
    }

    /// <summary>The object of the run request's <c>attributes</c> field: each attribute by name, null when not set.</summary>
    public JsonObject ToJson() => new() { [InitrcName] = Initrc, [PluginPathName] = PluginPath };

    /// <summary>The attributes of a run request's <c>attributes</c> field; null when the request has none (the shell then asks the broker).</summary>
    /// <exception cref="FluxException">EPROTO: the field is not an object of strings and nulls.</exception>
    public static ShellAttributes? FromJson(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }
        if (node is not JsonObject o)
        {
            throw new FluxException(Errno.EPROTO, "attributes: expected an object");
        }
        return new ShellAttributes(Text(o, InitrcName), Text(o, PluginPathName));
    }

    private static string? Text(JsonObject o, string name) => o[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new FluxException(Errno.EPROTO, $"attributes: {name}: expected a string or null"),
    };
}
