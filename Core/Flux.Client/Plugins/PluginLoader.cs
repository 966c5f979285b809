// Finds plugins by name on search paths, checks their contract version, loads them collectibly.
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

    /// <summary>Candidate assemblies in a search directory.</summary>
    public static IEnumerable<string> Candidates(string dir)
    {
        if (!Directory.Exists(dir))
        {
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

    /// <summary>Finds the first assembly on the search path that declares a plugin of a kind and name.</summary>
    public static (PluginMetadata Metadata, PluginEntry Entry)? Find(string name, PluginKind kind, IEnumerable<string> searchPath)
    {
        ArgumentNullException.ThrowIfNull(searchPath);
        foreach (var dir in searchPath)
        {
            foreach (var file in Candidates(dir))
            {
                var md = PluginMetadata.Read(file);
                var entry = md?.Entries.FirstOrDefault(e => e.Kind == kind && e.Name == name);
                if (entry is not null)
                {
                    return (md!, entry);
                }
            }
        }
        return null;
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
            _ => throw new FluxException(Errno.EINVAL, $"{Path.GetFileName(path)} holds several {kind} plugins ({string.Join(", ", entries.Select(e => e.Name))}): name one"),
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
        if (md.FormatsVersion is { } formats && formats.Major != HostFormatsVersion.Major)
        {
            throw new FluxException(Errno.EINVAL,
                $"{file} was built against Flux.Formats {formats.ToString(3)}, but this broker provides {HostFormatsVersion.ToString(3)}: " +
                $"format library major versions differ; rebuild the plugin against Flux.Formats {HostFormatsVersion.Major}.x");
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
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(entry);
        var ctx = PluginLoadContext.ForLoad($"{entry.Kind}:{entry.Name}", md.Path, collectible: !md.IsReadyToRun);
        try
        {
            var asm = ctx.LoadFromAssemblyPath(ctx.PluginPath);
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
