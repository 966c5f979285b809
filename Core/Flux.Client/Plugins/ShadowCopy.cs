// Makes a second load of a plugin path run what is on disk now: a private copy of the plugin's folder per load.
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Flux.Client.Plugins;

/// <summary>
/// The runtime maps a plugin's file while it is loaded and keeps one image per path while any
/// context holds it, so a build that overwrites the file in place changes the code of the module
/// still running from it, and a load from the same path can get the previous image:
/// <c>flux module reload</c> after <c>dotnet build</c> ran the old code. So a plugin is loaded from a
/// private copy of its folder (<c>$TMPDIR/flux-plugin-PID-*</c>, mode 0700), and sees the files as
/// they were when it loaded. Loads of a folder whose files have not changed since its copy was made
/// (the same names, sizes and modification times) share that copy: a shell host loading a job's C#
/// plugin for every job copies it once, not once per job. A changed folder gets a new copy; a copy
/// is deleted once no context uses it and a newer one has replaced it, or when the process exits;
/// copies left by processes that died are swept at the next copy. Plugins inside the installation
/// (the built-in folders and the system's installed plugins beside the executables) change only
/// when Flux is reinstalled and load in place: the broker's start-up copies nothing.
/// </summary>
public static class ShadowCopy
{
    private const string Prefix = "flux-plugin-";
    private static readonly ConcurrentBag<string> Copies = [];
    private static readonly Lock Gate = new();
    // The newest copy of each source folder, and every copy still in use, by its directory.
    private static readonly Dictionary<string, FolderCopy> Newest = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, FolderCopy> ByDirectory = new(StringComparer.Ordinal);
    private static int _registered;

    /// <summary>
    /// The path to load a plugin assembly from, and the copy to hand back to <see cref="Delete"/> after
    /// its context unloads (null when it is loaded in place).
    /// </summary>
    public static (string Path, string? CopyDirectory) Prepare(string pluginPath)
    {
        var full = Path.GetFullPath(pluginPath);
        if (full.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal))
        {
            return (full, null);
        }
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();
            SweepStale();
        }
        var (source, depth, key) = Folder(full);
        var signature = Signature(source, depth);
        lock (Gate)
        {
            if (Newest.TryGetValue(key, out var current) && current.Signature == signature)
            {
                current.Users++;
                return (Path.Combine(current.Directory, Path.GetFileName(full)), current.Directory);
            }
            var target = Directory.CreateTempSubdirectory($"{Prefix}{Environment.ProcessId}-").FullName;
            Copies.Add(target);
            CopyTree(source, target, depth);
            var copy = new FolderCopy(target, signature) { Users = 1 };
            if (current is { Users: 0 })
            {
                ByDirectory.Remove(current.Directory);
                DeleteDirectory(current.Directory);
            }
            Newest[key] = copy;
            ByDirectory[target] = copy;
            return (Path.Combine(target, Path.GetFileName(full)), target);
        }
    }

    /// <summary>
    /// Hands a copy back after its context has unloaded: deleted once no context uses it and a newer
    /// copy of its folder exists (kept for the next load otherwise); a file still in use stays until exit.
    /// </summary>
    public static void Delete(string? copyDirectory)
    {
        if (copyDirectory is null)
        {
            return;
        }
        lock (Gate)
        {
            if (ByDirectory.TryGetValue(copyDirectory, out var copy))
            {
                if (--copy.Users > 0 || Newest.ContainsValue(copy))
                {
                    return;
                }
                ByDirectory.Remove(copyDirectory);
            }
        }
        DeleteDirectory(copyDirectory);
    }

    /// <summary>
    /// The version of a plugin's files as a load compares them (the files of the folder copied with it:
    /// names, sizes, modification times): equal versions load the same bits.
    /// </summary>
    internal static string Version(string pluginPath)
    {
        var (source, depth, key) = Folder(Path.GetFullPath(pluginPath));
        return key + "\n" + Signature(source, depth);
    }

    // The plugin's own folder (its build or publish output) is copied whole, natives and all; a
    // shared folder of loose plugins only at its top level.
    private static (string Source, SearchOption Depth, string Key) Folder(string full)
    {
        var source = Path.GetDirectoryName(full)!;
        var own = Path.GetFileName(source) == Path.GetFileNameWithoutExtension(full)
            || File.Exists(Path.ChangeExtension(full, ".deps.json"));
        var depth = own ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        return (source, depth, (own ? "tree:" : "top:") + source);
    }

    // Each file's relative name, size and modification time: a rebuild changes at least one.
    private static string Signature(string source, SearchOption depth)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var file in Directory.EnumerateFiles(source, "*", depth).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            sb.Append(Path.GetRelativePath(source, file)).Append('\0').Append(info.Length).Append('\0').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return sb.ToString();
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Deleted at exit or swept later: a leftover copy costs disk, never correctness.
        }
    }

    private static void CopyTree(string source, string target, SearchOption depth)
    {
        foreach (var dir in Directory.EnumerateDirectories(source, "*", depth))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, dir)));
        }
        foreach (var file in Directory.EnumerateFiles(source, "*", depth))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }
    }

    private static void DeleteAll()
    {
        foreach (var dir in Copies)
        {
            DeleteDirectory(dir);
        }
    }

    // Copies of processes that no longer run (killed before their exit handler ran).
    private static void SweepStale()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var rest = Path.GetFileName(dir)[Prefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(rest.AsSpan(0, dash), out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                DeleteDirectory(dir);
            }
        }
    }

    private sealed class FolderCopy(string directory, string signature)
    {
        public string Directory => directory;

        public string Signature => signature;

        public int Users { get; set; }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
