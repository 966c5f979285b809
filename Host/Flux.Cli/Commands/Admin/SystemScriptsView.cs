// What `flux admin system-scripts` prints: each kind's state and the scripts it will run, as flux-core's flux-admin shows them.
using System.Text.Json.Nodes;
using Flux.SystemScripts;

namespace Flux.Cli.Commands;

/// <summary>
/// flux-core's flux-admin.py show_prog_config: "▸ KIND: enabled (INFO)", the command when one is
/// configured, else the package folder ("system:") and the site's single script or folder
/// ("site:") with ✓ for an executable script and ✗ for one that is not; "not configured" kinds list
/// their scripts only with <c>-v</c>; a prolog or epilog configured while perilog.so is not loaded
/// is "configured but inactive".
/// </summary>
internal sealed class SystemScriptsView(TextWriter w, SystemScriptLocations locations, bool verbose, bool color)
{
    private const string Green = "\u001b[32m";
    private const string Red = "\u001b[31m";
    private const string Yellow = "\u001b[33m";
    private const string Dim = "\u001b[2m";
    private const string Reset = "\u001b[0m";

    public void Perilog(string kind, JsonObject? config, bool pluginLoaded) =>
        Show(kind, config, pluginLoaded, c => "per-rank=" + ((c["per-rank"] ?? c["per_rank"])?.GetValue<bool>() is true ? "true" : "false"));

    public void Housekeeping(JsonObject? config) =>
        Show("housekeeping", config, pluginLoaded: true, c => c["release-after"]?.ToString() is { } ra ? $"release after {ra}" : "batch release");

    private string Paint(string text, string code) => color ? code + text + Reset : text;

    private void Show(string kind, JsonObject? config, bool pluginLoaded, Func<JsonObject, string> info)
    {
        var listing = locations.List(kind);
        var hasScripts = listing.Legacy is not null || listing.SystemScripts.Count > 0 || listing.SiteScripts.Count > 0;
        var configured = config is { Count: > 0 };
        if (!configured && !verbose)
        {
            w.WriteLine($"▸ {kind}: {Paint("not configured", Dim)}");
            w.WriteLine();
            return;
        }
        if (configured && !pluginLoaded)
        {
            w.WriteLine($"▸ {kind}: {Paint("configured but inactive", Yellow)}");
            w.WriteLine(Paint("  (perilog plugin not loaded)", Yellow));
            return;
        }
        // Without a command, the system scripts run (here in place of flux-core's default "flux-imp run KIND").
        var usesScripts = configured && config!["command"] is not JsonArray { Count: > 0 };
        if (configured)
        {
            w.WriteLine($"▸ {kind}: {Paint("enabled", Green)} ({info(config!)})");
            if (!usesScripts)
            {
                w.WriteLine($"  command: {string.Join(' ', ((JsonArray)config!["command"]!).Select(a => a!.GetValue<string>()))}");
            }
        }
        else
        {
            w.WriteLine($"▸ {kind}: {Paint("not configured", Yellow)}");
        }
        if ((configured && usesScripts) || (!configured && hasScripts))
        {
            if (listing.SystemScripts.Count > 0 || usesScripts)
            {
                Directory("system", listing.SystemPath, listing.SystemScripts);
            }
            if (listing.Legacy is { } legacy)
            {
                w.WriteLine($"  {Paint("site:", Dim)}");
                w.WriteLine($"    {(legacy.Executable ? Paint("✓", Green) : Paint("✗", Red))} {legacy.Path} {Paint("(legacy, skips site scripts)", Dim)}");
            }
            else if (listing.SiteScripts.Count > 0 || usesScripts)
            {
                Directory("site", listing.SitePath, listing.SiteScripts);
            }
        }
        w.WriteLine();
    }

    private void Directory(string label, string path, IReadOnlyList<SystemScript> scripts)
    {
        w.WriteLine($"  {Paint(label + ":", Dim)} {Paint(path, Dim)}");
        if (scripts.Count == 0)
        {
            w.WriteLine(Paint("    (no scripts)", Dim));
            return;
        }
        foreach (var s in scripts)
        {
            w.WriteLine($"    {(s.Executable ? Paint("✓", Green) : Paint("✗ not executable", Red))} {s.Name}");
        }
    }
}
