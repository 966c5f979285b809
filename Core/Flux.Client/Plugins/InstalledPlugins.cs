// The plugins `flux plugin install` put in the user's and the system's plugin folders, and which version of each loads.
using Flux.Abstractions;

namespace Flux.Client.Plugins;

/// <summary>
/// Installed plugin packages. Each is a folder <c>ROOT/ID/VERSION/</c> holding the package's
/// <c>flux-plugin.json</c> (<see cref="PluginManifest"/>) and its publish output, in two roots: the
/// user's (<c>$XDG_DATA_HOME/flux/plugins</c>, else <c>~/.local/share/flux/plugins</c>) searched
/// first, and the system's (<c>plugins/</c> beside the executables, what
/// <c>flux config builtin plugin_path</c> prints). Rule for versions side by side: of the versions
/// of a package whose contract this host provides (<see cref="PluginLoader.IsCompatible"/>), the
/// highest loads; <c>NAME@VERSION</c> pins one. The user's copy of a version wins over the system's.
/// Every lookup of a plugin by name (broker modules, jobtap, validators, connectors, the shell)
/// goes through <see cref="Directories"/>, which each kind's search path includes after its
/// configured folders and before its built-in folder.
/// </summary>
public static class InstalledPlugins
{
    /// <summary>The user's plugin folder.</summary>
    public static string UserRoot
    {
        get
        {
            var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x
                ? x
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(data, "flux", "plugins");
        }
    }

    /// <summary>The system's plugin folder, under the installation (beside the built-in plugin folders).</summary>
    public static string SystemRoot => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>The roots searched, user's first.</summary>
    public static IReadOnlyList<string> Roots => [UserRoot, SystemRoot];

    /// <summary>Every installed package version in the given roots (default: both), whether it is compatible or not.</summary>
    public static IReadOnlyList<PluginManifest> All(IReadOnlyList<string>? roots = null)
    {
        var list = new List<PluginManifest>();
        foreach (var root in roots ?? Roots)
        {
            if (!Directory.Exists(root))
            {
                continue;
            }
            foreach (var id in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                foreach (var version in Directory.EnumerateDirectories(id))
                {
                    if (PluginManifest.TryRead(version) is { } m)
                    {
                        list.Add(m);
                    }
                }
            }
        }
        return list;
    }

    /// <summary>
    /// The package versions that load: per package id, the highest compatible version (a version
    /// pinned in <paramref name="pins"/> by id or plugin name instead), the user's before the system's.
    /// </summary>
    public static IReadOnlyList<PluginManifest> Selected(IReadOnlyList<string>? roots = null, IReadOnlyDictionary<string, string>? pins = null)
    {
        var chosen = new List<PluginManifest>();
        foreach (var group in All(roots).GroupBy(m => m.Id, StringComparer.OrdinalIgnoreCase))
        {
            var pin = pins is null ? null
                : pins.TryGetValue(group.Key, out var p) ? p
                : group.First().Plugins.Select(e => pins.GetValueOrDefault(e.Name)).FirstOrDefault(v => v is not null);
            var pick = group
                .Where(m => pin is null ? PluginLoader.IsCompatible(m.ContractVersion) : m.Version == pin)
                .OrderByDescending(m => m.SemanticVersion)
                .FirstOrDefault();
            if (pick is not null)
            {
                chosen.Add(pick);
            }
        }
        return chosen;
    }

    /// <summary>The folders holding the selected versions' plugins of a kind, for a search path.</summary>
    public static IReadOnlyList<string> Directories(PluginKind kind, IReadOnlyList<string>? roots = null) =>
        [.. Selected(roots).Where(m => m.Plugins.Any(e => Matches(e.Kind, kind))).Select(m => m.Directory)];

    /// <summary>
    /// Splits a <c>NAME@VERSION</c> spec: the name, and the folder of that pinned version of the
    /// package providing it (ENOENT naming the versions installed when it is not there).
    /// </summary>
    public static (string Name, string? Directory) Pinned(string spec, PluginKind kind, IReadOnlyList<string>? roots = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var at = spec.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            return (spec, null);
        }
        var (name, version) = (spec[..at], spec[(at + 1)..]);
        var candidates = All(roots).Where(m => m.Plugins.Any(e => e.Name == name && Matches(e.Kind, kind))).ToList();
        var match = candidates.FirstOrDefault(m => m.Version == version)
            ?? throw new FluxException(Errno.ENOENT, candidates.Count == 0
                ? $"no installed {kind} plugin named '{name}'"
                : $"{name} {version} is not installed (installed: {string.Join(", ", candidates.Select(m => m.Version).Distinct())})");
        return (name, match.Directory);
    }

    // Validators and frobnicators share job-ingest's search path.
    private static bool Matches(PluginKind declared, PluginKind wanted) =>
        declared == wanted || (declared is PluginKind.Validator or PluginKind.Frobnicator && wanted is PluginKind.Validator or PluginKind.Frobnicator);
}
