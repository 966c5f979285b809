// What the flux plugin commands share: --user/--system, and which installed plugins a running instance has loaded.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Connectors;
using Flux.Client.Plugins;

namespace Flux.Cli.Commands;

internal static class PluginRoots
{
    public static IReadOnlyList<OptionSpec> Options =>
    [
        new("user", null, null, $"The user's plugin folder (the default for install): {InstalledPlugins.UserRoot}."),
        new("system", null, null, $"The system's plugin folder (flux config builtin plugin_path): {InstalledPlugins.SystemRoot}."),
    ];

    /// <summary>The roots an option picks: install writes to one (the user's unless --system); the others read both unless told.</summary>
    public static IReadOnlyList<string> Pick(ParsedArgs args, bool forInstall)
    {
        if (args.Has("user") && args.Has("system"))
        {
            throw new UsageException("--user and --system exclude each other");
        }
        return args.Has("system") ? [InstalledPlugins.SystemRoot]
            : args.Has("user") || forInstall ? [InstalledPlugins.UserRoot]
            : InstalledPlugins.Roots;
    }

    /// <summary>
    /// Inside an instance (FLUX_URI set), the folders of loaded modules and the names of loaded
    /// jobtap plugins; null outside one.
    /// </summary>
    public static async Task<(IReadOnlyList<string> ModulePaths, IReadOnlySet<string> Jobtap)?> LoadedAsync(CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable("FLUX_URI") is null)
        {
            return null;
        }
        await using var h = await FluxConnect.OpenAsync(null, ct).ConfigureAwait(false);
        var mods = await h.RpcAsync("module.list", null, NodeId.Any, ct).ConfigureAwait(false);
        var paths = (mods?["mods"] as JsonArray ?? []).Select(m => m?["path"]?.GetValue<string>() ?? "").ToList();
        var jobtap = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var resp = await h.RpcAsync("job-manager.jobtap", new JsonObject { ["query_only"] = true }, NodeId.Any, ct).ConfigureAwait(false);
            jobtap.UnionWith((resp?["plugins"] as JsonArray ?? []).Select(p => p!.GetValue<string>()));
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            // No job-manager loaded: no jobtap plugin is.
        }
        return (paths, jobtap);
    }

    /// <summary>Whether a running instance has one of a package version's plugins loaded.</summary>
    public static bool IsLoaded(PluginManifest m, (IReadOnlyList<string> ModulePaths, IReadOnlySet<string> Jobtap) loaded) =>
        m.Plugins.Any(p => p.Kind == PluginKind.Jobtap ? loaded.Jobtap.Contains(p.Name)
            : loaded.ModulePaths.Contains(Path.Combine(m.Directory, p.Assembly)));
}
