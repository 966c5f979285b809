// Reading a ScriptCommand from a [job-manager.prolog|epilog|housekeeping] table: command and exit-on-first-error.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.SystemScripts;

public sealed partial record ScriptCommand
{
    /// <summary>
    /// The command of table <paramref name="table"/>: its <c>command</c> array of strings, or the
    /// system scripts of <paramref name="kind"/> without one. <c>exit-on-first-error</c> (a boolean)
    /// belongs to the system scripts, so with a <c>command</c> it is refused rather than ignored.
    /// </summary>
    public static ScriptCommand FromConfig(FluxConfig config, string table, string kind, SystemScriptLocations locations)
    {
        ArgumentNullException.ThrowIfNull(config);
        List<string>? argv = null;
        if (config.Get(table + ".command") is { } command)
        {
            if (command is not JsonArray a || a.Count == 0 || a.Any(x => x is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
            {
                throw config.Error(table + ".command", "expected a non-empty array of strings", command);
            }
            argv = [.. a.Select(x => x!.GetValue<string>())];
        }
        var exitOnFirstError = config.GetBool(table + ".exit-on-first-error", false);
        if (argv is not null && config.Get(table + ".exit-on-first-error") is { } eofe)
        {
            throw config.Error(table + ".exit-on-first-error", "applies to the system scripts only, not to a configured command", eofe);
        }
        return new ScriptCommand(kind, argv, exitOnFirstError, locations);
    }
}
