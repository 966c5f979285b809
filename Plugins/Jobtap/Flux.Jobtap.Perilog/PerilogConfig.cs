// Reading [job-manager.prolog], [job-manager.epilog] and [job-manager.perilog] (perilog.c conf_update_cb), refusing what nothing acts on.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flux.Abstractions;
using Flux.Formats;
using Flux.SystemScripts;

namespace Flux.Jobtap.Perilog;

internal sealed record PerilogConfig(PerilogProcDesc? Prolog, PerilogProcDesc? Epilog, IReadOnlyList<Regex> LogIgnore)
{
    private const string PrologTable = "job-manager.prolog";
    private const string EpilogTable = "job-manager.epilog";
    private const string PerilogTable = "job-manager.perilog";

    /// <summary>The configuration in a conf.update's whole config; throws <see cref="ConfigException"/> naming the key.</summary>
    public static PerilogConfig Read(JsonObject root, SystemScriptLocations locations)
    {
        var config = new FluxConfig(root);
        var prolog = ReadProc(config, PrologTable, prolog: true, locations);
        var epilog = ReadProc(config, EpilogTable, prolog: false, locations);
        config.CheckKeys(PerilogTable, "log-ignore");
        // Empty lines are never logged (perilog.c regexp_list_create).
        var ignore = new List<Regex> { new(@"^\s*$", RegexOptions.CultureInvariant) };
        if (config.Get(PerilogTable + ".log-ignore") is { } li)
        {
            if (li is not JsonArray a)
            {
                throw config.Error(PerilogTable + ".log-ignore", "expected an array of regular expressions", li);
            }
            foreach (var entry in a)
            {
                var pattern = entry is JsonValue v && v.TryGetValue<string>(out var s)
                    ? s
                    : throw config.Error(PerilogTable + ".log-ignore", "all entries must be a string value", entry);
                try
                {
                    ignore.Add(new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
                }
                catch (ArgumentException ex)
                {
                    throw config.Error(PerilogTable + ".log-ignore", $"Failed to compile regex: {ex.Message}", entry);
                }
            }
        }
        return new PerilogConfig(prolog, epilog, ignore);
    }

    private static PerilogProcDesc? ReadProc(FluxConfig config, string table, bool prolog, SystemScriptLocations locations)
    {
        if (config.Get(table) is not { } t)
        {
            return null;
        }
        if (t is not JsonObject)
        {
            throw config.Error(table, "expected a table", t);
        }
        config.CheckKeys(table, "command", "per-rank", "timeout", "kill-timeout", "cancel-on-exception", "exit-on-first-error");
        var name = prolog ? "prolog" : "epilog";
        var command = ScriptCommand.FromConfig(config, table, name, locations);
        var timeout = config.GetDuration(table + ".timeout", prolog ? 1800 : 0);
        if (double.IsPositiveInfinity(timeout))
        {
            timeout = 0;
        }
        var killTimeout = 5.0;
        if (config.Get(table + ".kill-timeout") is { } kt)
        {
            if (!prolog)
            {
                throw config.Error(table + ".kill-timeout", "kill-timeout not allowed for epilog", kt);
            }
            var seconds = config.GetDouble(table + ".kill-timeout");
            killTimeout = seconds > 0 ? seconds : 5.0;
        }
        return new PerilogProcDesc(
            prolog,
            command,
            config.GetBool(table + ".per-rank"),
            timeout,
            killTimeout,
            config.GetBool(table + ".cancel-on-exception", prolog));
    }
}
