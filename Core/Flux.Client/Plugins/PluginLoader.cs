// Finds plugins by name on search paths, checks their contract version, loads them collectibly.
using System.Runtime.CompilerServices;
using Flux.Abstractions;

namespace Flux.Client.Plugins;

/// <summary>
/// Plugin discovery and loading. A plugin is named by path to its <c>.dll</c>, or by its
/// <see cref="FluxPluginAttribute"/> name, looked up in search directories in order: each directory
/// is scanned for <c>*.dll</c> files directly in it and for <c>NAME/NAME.dll</c> plugin folders
/// (a plugin folder holds the plugin's publish output: its <c>.deps.json</c> and private
/// dependencies).
/// </summary>
public static class PluginLoader
{
    /// <summary>The contract version this host provides.</summary>
    public static Version HostContractVersion { get; } = typeof(IFlux).Assembly.GetName().Version ?? new Version(1, 0);

    /// <summary>The version of Flux.Formats this host shares with plugins.</summary>
    public static Version HostFormatsVersion { get; } = typeof(Flux.Formats.Fsd).Assembly.GetName().Version ?? new Version(1, 0);

    /// <summary>Whether a module argument names a file rather than a plugin name.</summary>
    public static bool IsPath(string spec) =>
        spec.Contains('/', StringComparison.Ordinal) || spec.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Candidate assemblies in a search directory: the assemblies its <c>flux-plugin.json</c> names
    /// (an installed plugin package), else its <c>*.dll</c> files and <c>NAME/NAME.dll</c> folders.
    /// </summary>
    public static IEnumerable<string> Candidates(string dir)
    {
        if (!Directory.Exists(dir))
        {
            yield break;
        }
        if (PluginManifest.TryRead(dir) is { } manifest)
        {
            foreach (var a in manifest.Plugins.Select(p => p.Assembly).Distinct(StringComparer.Ordinal))
            {
                yield return Path.Combine(dir, a);
            }
            yield break;
        }
        foreach (var f in Directory.EnumerateFiles(dir, "*.dll").Order(StringComparer.Ordinal))
        {
            if (!PluginLoadContext.SharedAssemblies.Contains(Path.GetFileNameWithoutExtension(f)))
            {
                yield return f;
            }
        }
        foreach (var d in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
        {
            var f = Path.Combine(d, Path.GetFileName(d) + ".dll");
            if (File.Exists(f))
            {
                yield return f;
            }
        }
    }

    /// <summary>
    /// Finds the first assembly on the search path that declares a plugin of a kind by that
    /// <see cref="FluxPluginAttribute"/> name; failing that, the first whose file is named so
    /// (<c>NAME.dll</c>) and declares exactly one plugin of the kind (several: EINVAL, name one).
    /// </summary>
    public static (PluginMetadata Metadata, PluginEntry Entry)? Find(string name, PluginKind kind, IEnumerable<string> searchPath)
    {
        ArgumentNullException.ThrowIfNull(searchPath);
        var dirs = searchPath.ToList();
        foreach (var file in dirs.SelectMany(Candidates))
        {
            var md = PluginMetadata.Read(file);
            var entry = md?.Entries.FirstOrDefault(e => Same(e.Kind, kind) && e.Name == name);
            if (entry is not null)
            {
                return (md!, entry);
            }
        }
        foreach (var file in dirs.SelectMany(Candidates).Where(f => Path.GetFileNameWithoutExtension(f) == name))
        {
            if (PluginMetadata.Read(file) is { } md && md.Entries.Any(e => Same(e.Kind, kind)))
            {
                return (md, Single(md, kind));
            }
        }
        return null;
    }

    /// <summary>
    /// Finds a plugin named by <c>NAME</c> on the search path, or <c>NAME@VERSION</c> among the
    /// installed packages (a pinned version), and checks its contract; ENOENT lists where it looked.
    /// </summary>
    public static (PluginMetadata Metadata, PluginEntry Entry) Resolve(string spec, PluginKind kind, IReadOnlyList<string> searchPath)
    {
        var (name, pinned) = InstalledPlugins.Pinned(spec, kind);
        IReadOnlyList<string> dirs = pinned is null ? searchPath : [pinned];
        var found = Find(name, kind, dirs) ?? throw NotFound(name, kind, dirs);
        CheckContract(found.Metadata);
        return found;
    }

    /// <summary>ENOENT for a name not found, listing each folder searched once.</summary>
    public static FluxException NotFound(string name, PluginKind kind, IEnumerable<string> searchPath)
    {
        var dirs = string.Join(", ", searchPath.Select(d => Path.GetFullPath(d).TrimEnd('/')).Distinct(StringComparer.Ordinal));
        return new(Errno.ENOENT, kind == PluginKind.Module
            ? $"module '{name}' not found on the module path (no module named '{name}' in {dirs})"
            : $"{name}: No such plugin found (no {KindName(kind)} named '{name}' in {dirs})");
    }

    /// <summary>
    /// A kind's search path: the configured folders, then the installed plugin packages
    /// (<see cref="InstalledPlugins"/>), then the built-in folder; each folder once.
    /// </summary>
    public static IReadOnlyList<string> SearchPath(PluginKind kind, IEnumerable<string> configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        return [.. configured.Concat(InstalledPlugins.Directories(kind)).Append(BuiltinPlugins.Directory(kind))
            .Select(d => Path.GetFullPath(d).TrimEnd('/')).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether this host provides a contract version: the same major, a minor no newer.</summary>
    public static bool IsCompatible(Version? contract) =>
        contract is not null && contract.Major == HostContractVersion.Major && contract.Minor <= HostContractVersion.Minor;

    /// <summary>The contract versions this host loads plugins for, as words for messages.</summary>
    public static string SupportedContracts => HostContractVersion.Minor == 0
        ? $"Flux.Abstractions {HostContractVersion.Major}.0"
        : $"Flux.Abstractions {HostContractVersion.Major}.0 to {HostContractVersion.Major}.{HostContractVersion.Minor}";

    private static string KindName(PluginKind kind) => kind switch
    {
        PluginKind.Module => "module",
        PluginKind.Jobtap => "jobtap plugin",
        PluginKind.ShellPlugin => "shell plugin",
        PluginKind.Connector => "connector",
        PluginKind.Validator => "validator",
        PluginKind.Frobnicator => "frobnicator",
        _ => kind.ToString(),
    };

    // job-ingest's search path serves validators and frobnicators alike.
    private static bool Same(PluginKind declared, PluginKind wanted) =>
        declared == wanted || (declared is PluginKind.Validator or PluginKind.Frobnicator && wanted is PluginKind.Validator or PluginKind.Frobnicator);

    private static PluginEntry Single(PluginMetadata md, PluginKind kind)
    {
        var entries = md.Entries.Where(e => Same(e.Kind, kind)).ToList();
        return entries.Count == 1 ? entries[0]
            : throw new FluxException(Errno.EINVAL, $"{Path.GetFileName(md.Path)} holds several {KindName(kind)}s ({string.Join(", ", entries.Select(e => e.Name))}): load one by its name, or name one with -n NAME");
    }

    /// <summary>Lists every plugin of a kind on the search path (first occurrence of each name wins).</summary>
    public static IReadOnlyList<(PluginMetadata Metadata, PluginEntry Entry)> List(PluginKind kind, IEnumerable<string> searchPath)
    {
        ArgumentNullException.ThrowIfNull(searchPath);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<(PluginMetadata, PluginEntry)>();
        foreach (var dir in searchPath)
        {
            foreach (var file in Candidates(dir))
            {
                var md = PluginMetadata.Read(file);
                if (md is null)
                {
                    continue;
                }
                foreach (var e in md.Entries.Where(e => e.Kind == kind && seen.Add(e.Name)))
                {
                    list.Add((md, e));
                }
            }
        }
        return list;
    }

    /// <summary>
    /// Reads a plugin file and picks its entry of a kind (by name when several). Throws
    /// <see cref="FluxException"/> with a message that says what is wrong: no such file, not an
    /// assembly, no plugin of that kind, or a contract version the host does not provide.
    /// </summary>
    public static (PluginMetadata Metadata, PluginEntry Entry) Inspect(string path, PluginKind kind, string? name)
    {
        if (!File.Exists(path))
        {
            throw new FluxException(Errno.ENOENT, $"{path}: No such file or directory");
        }
        var md = PluginMetadata.Read(path) ?? throw new FluxException(Errno.EINVAL, $"{path}: not a .NET assembly");
        CheckContract(md);
        var entries = md.Entries.Where(e => e.Kind == kind && (name is null || e.Name == name)).ToList();
        return entries.Count switch
        {
            0 => throw new FluxException(Errno.ENOENT, name is null
                ? $"{Path.GetFileName(path)}: no type marked [FluxPlugin(..., PluginKind.{kind})]"
                : $"{Path.GetFileName(path)}: no {kind} plugin named '{name}'"),
            1 => (md, entries[0]),
            _ => throw new FluxException(Errno.EINVAL, $"{Path.GetFileName(path)} holds several {KindName(kind)}s ({string.Join(", ", entries.Select(e => e.Name))}): name one with -n NAME"),
        };
    }

    /// <summary>Refuses an assembly built against another major version of Flux.Abstractions or Flux.Formats.</summary>
    public static void CheckContract(PluginMetadata md)
    {
        ArgumentNullException.ThrowIfNull(md);
        var file = Path.GetFileName(md.Path);
        if (md.ContractVersion is null)
        {
            throw new FluxException(Errno.EINVAL, $"{file} does not reference Flux.Abstractions: it is not a Flux plugin");
        }
        if (md.ContractVersion.Major != HostContractVersion.Major)
        {
            throw new FluxException(Errno.EINVAL,
                $"{file} was built against Flux.Abstractions {md.ContractVersion.ToString(3)}, but this broker provides {HostContractVersion.ToString(3)}: " +
                $"contract major versions differ; rebuild the plugin against Flux.Abstractions {HostContractVersion.Major}.x");
        }
        if (!IsCompatible(md.ContractVersion))
        {
            throw new FluxException(Errno.EINVAL,
                $"{file} was built against Flux.Abstractions {md.ContractVersion.ToString(3)}, newer than this broker's {HostContractVersion.ToString(3)}: " +
                $"it may use contract members this broker lacks; upgrade Flux or build the plugin against {SupportedContracts}");
        }
        if (md.FormatsVersion is { } formats && (formats.Major != HostFormatsVersion.Major || formats.Minor > HostFormatsVersion.Minor))
        {
            throw new FluxException(Errno.EINVAL,
                $"{file} was built against Flux.Formats {formats.ToString(3)}, but this broker provides {HostFormatsVersion.ToString(3)}: " +
                $"rebuild the plugin against Flux.Formats {HostFormatsVersion.Major}.0 to {HostFormatsVersion.Major}.{HostFormatsVersion.Minor}");
        }
    }

    /// <summary>
    /// Loads a plugin's assembly into a new context and returns its entry type. The context is
    /// collectible, so that removing the plugin frees it, unless the assembly is ReadyToRun: the
    /// runtime runs no precompiled code from a collectible context, and a module that would JIT every
    /// method it runs is slower to start and to warm up (the built-in modules are published ReadyToRun).
    /// </summary>
    public static (PluginLoadContext Context, Type Type) Load(PluginMetadata md, PluginEntry entry)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new PluginLoadingUnavailableException($"{entry.Kind} '{entry.Name}'");
        }
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(entry);
        var ctx = PluginLoadContext.ForLoad($"{entry.Kind}:{entry.Name}", md.Path, collectible: !md.IsReadyToRun);
        try
        {
            var asm = ctx.LoadPluginAssembly();
            var type = asm.GetType(entry.TypeName, throwOnError: true)!;
            return (ctx, type);
        }
        catch (Exception ex) when (ex is FileLoadException or BadImageFormatException or TypeLoadException or FileNotFoundException)
        {
            ctx.UnloadIfCollectible();
            throw new FluxException(Errno.EINVAL, $"{Path.GetFileName(md.Path)}: cannot load {entry.TypeName}: {ex.Message}", ex);
        }
    }
}
