// Makes a second load of a plugin path run what is on disk now: a private copy of the plugin's folder per load.
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Flux.Client.Plugins;

/// <summary>
/// The runtime maps a plugin's file while it is loaded and keeps one image per path while any
/// context holds it, so a build that overwrites the file in place changes the code of the module
/// still running from it, and a load from the same path can get the previous image:
/// <c>flux module reload</c> after <c>dotnet build</c> ran the old code. So a plugin is loaded from a
/// private copy of its folder, one per load (<c>$TMPDIR/flux-plugin-PID-*</c>, mode 0700), and sees
/// the files as they were when it loaded. Plugins inside the installation (the built-in folders and
/// the system's installed plugins beside the executables) change only when Flux is reinstalled and
/// load in place: the broker's start-up copies nothing. A copy is deleted when its context unloads
/// or the process exits; copies left by processes that died are swept at the next copy.
/// </summary>
public static class ShadowCopy
{
    private const string Prefix = "flux-plugin-";
    private static readonly ConcurrentBag<string> Copies = [];
    private static int _registered;

    /// <summary>
    /// The path to load a plugin assembly from, and the directory to delete after its context
    /// unloads (null when it is loaded in place).
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
        var source = Path.GetDirectoryName(full)!;
        var target = Directory.CreateTempSubdirectory($"{Prefix}{Environment.ProcessId}-").FullName;
        Copies.Add(target);
        // The plugin's own folder (its build or publish output) is copied whole, natives and all; a
        // shared folder of loose plugins only at its top level.
        var own = Path.GetFileName(source) == Path.GetFileNameWithoutExtension(full)
            || File.Exists(Path.ChangeExtension(full, ".deps.json"));
        CopyTree(source, target, own ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly);
        return (Path.Combine(target, Path.GetFileName(full)), target);
    }

    /// <summary>Deletes a copy (after its context has unloaded); a file still in use stays until exit.</summary>
    public static void Delete(string? copyDirectory)
    {
        if (copyDirectory is null)
        {
            return;
        }
        try
        {
            Directory.Delete(copyDirectory, recursive: true);
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
            Delete(dir);
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
                Delete(dir);
            }
        }
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
