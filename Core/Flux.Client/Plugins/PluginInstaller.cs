// Installs plugin packages (a .nupkg read as a zip, or a folder) into a plugin root, and removes them: what `flux plugin` runs.
using System.IO.Compression;
using Flux.Abstractions;

namespace Flux.Client.Plugins;

/// <summary>
/// Installs a plugin package into <c>ROOT/ID/VERSION/</c> (<see cref="InstalledPlugins"/>). A package
/// is a <c>.nupkg</c> made by Flux.Plugin.Sdk (its <c>flux-plugin/</c> folder is what installs) or a
/// folder holding a <c>flux-plugin.json</c>. Refused: a contract this Flux does not provide (the
/// message names the versions it supports), an entry whose path leaves the target folder, a manifest
/// naming an assembly the package lacks or that does not declare the plugin, a version already there.
/// The files are unpacked into a staging folder and renamed into place, so a failed install leaves nothing.
/// </summary>
public static class PluginInstaller
{
    private const string PackageFolder = "flux-plugin/";

    /// <summary>Installs a package file or folder into a root; returns the installed manifest.</summary>
    public static PluginManifest Install(string source, string root)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(root);
        Directory.CreateDirectory(root);
        // In the root itself, so the final rename stays on one file system.
        var staging = Directory.CreateDirectory(Path.Combine(Path.GetFullPath(root), ".staging-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            if (Directory.Exists(source))
            {
                CopyFolder(source, staging);
            }
            else if (File.Exists(source))
            {
                Extract(source, staging);
            }
            else
            {
                throw new FluxException(Errno.ENOENT, $"{source}: No such file or directory");
            }
            var staged = PluginManifest.TryRead(staging)
                ?? throw new FluxException(Errno.EINVAL, $"{source}: not a Flux plugin package (no {PackageFolder}{PluginManifest.FileName}; pack it with Flux.Plugin.Sdk)");
            Check(staged, source);
            var target = Path.Combine(root, Safe(staged.Id), Safe(staged.Version));
            if (Directory.Exists(target))
            {
                throw new FluxException(Errno.EEXIST, $"{staged.Id} {staged.Version} is already installed in {root}: remove it first (flux plugin remove {staged.Id} --version {staged.Version})");
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(staging, target);
            return PluginManifest.TryRead(target)!;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Removes the installed versions of a package (by id or plugin name) from the roots; returns what was removed.</summary>
    public static IReadOnlyList<PluginManifest> Remove(string name, string? version, IReadOnlyList<string> roots)
    {
        var gone = InstalledPlugins.All(roots)
            .Where(m => (string.Equals(m.Id, name, StringComparison.OrdinalIgnoreCase) || m.Plugins.Any(p => p.Name == name)) && (version is null || m.Version == version))
            .ToList();
        if (gone.Count == 0)
        {
            throw new FluxException(Errno.ENOENT, $"no installed plugin package '{name}'{(version is null ? "" : " version " + version)} in {string.Join(", ", roots)}");
        }
        foreach (var m in gone)
        {
            Directory.Delete(m.Directory, recursive: true);
            var idDir = Path.GetDirectoryName(m.Directory)!;
            if (!Directory.EnumerateFileSystemEntries(idDir).Any())
            {
                Directory.Delete(idDir);
            }
        }
        return gone;
    }

    private static void Check(PluginManifest m, string source)
    {
        if (!PluginLoader.IsCompatible(m.ContractVersion))
        {
            throw new FluxException(Errno.EINVAL,
                $"{m.Id} {m.Version} was built against Flux.Abstractions {m.ContractVersion.ToString(3)}; this Flux loads plugins built against {PluginLoader.SupportedContracts}");
        }
        foreach (var p in m.Plugins)
        {
            var file = Path.Combine(m.Directory, p.Assembly);
            var md = PluginMetadata.Read(file)
                ?? throw new FluxException(Errno.EINVAL, $"{source}: {p.Assembly}, named by its manifest, is missing or not a .NET assembly");
            if (!md.Entries.Any(e => e.Name == p.Name && e.Kind == p.Kind))
            {
                throw new FluxException(Errno.EINVAL, $"{source}: {p.Assembly} declares no {p.Kind} plugin named '{p.Name}' as its manifest says");
            }
            PluginLoader.CheckContract(md);
        }
    }

    // The package's flux-plugin/ entries, each checked to stay inside the target folder.
    private static void Extract(string package, string target)
    {
        using var zip = OpenZip(package);
        var prefix = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName.Replace('\\', '/');
            if (!name.StartsWith(PackageFolder, StringComparison.Ordinal) || name.EndsWith('/'))
            {
                continue;
            }
            var dest = Path.GetFullPath(Path.Combine(target, name[PackageFolder.Length..]));
            if (!dest.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new FluxException(Errno.EINVAL, $"{package}: entry '{entry.FullName}' leaves the package folder: refused");
            }
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            entry.ExtractToFile(dest);
        }
    }

    private static ZipArchive OpenZip(string package)
    {
        try
        {
            return ZipFile.OpenRead(package);
        }
        catch (InvalidDataException ex)
        {
            throw new FluxException(Errno.EINVAL, $"{package}: not a package (zip) file: {ex.Message}", ex);
        }
    }

    private static void CopyFolder(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }
    }

    // An id or version becomes a folder name: one path segment, nothing else.
    private static string Safe(string segment) =>
        segment.Length == 0 || segment is "." or ".." || segment.IndexOfAny(['/', '\\', '\0']) >= 0
            ? throw new FluxException(Errno.EINVAL, $"'{segment}' cannot name a plugin folder")
            : segment;
}
