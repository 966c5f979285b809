// A small tmpfs mounted for a test (disk-full tests), filled and freed on demand, unmounted at the end.
using System.Diagnostics;

namespace Flux.Kvs.Tests;

/// <summary>A tmpfs of a given size on a fresh directory; needs root (CI runs as root).</summary>
internal sealed class Tmpfs : IDisposable
{
    private readonly List<string> _fillers = [];

    private Tmpfs(string dir) => Dir = dir;

    /// <summary>The mount point.</summary>
    public string Dir { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount(8) syntax: 2m, 768k).</summary>
    public static Tmpfs Mount(string size)
    {
        var dir = TempDirs.Create("flux-tmpfs-");
        Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", dir);
        return new Tmpfs(dir);
    }

    /// <summary>Gives the file system a new size (more room, say) without unmounting it.</summary>
    public void Resize(string size) => Run("mount", "-o", $"remount,size={size}", Dir);

    /// <summary>Writes a file until the file system is full (ENOSPC).</summary>
    public void Fill()
    {
        var path = Path.Combine(Dir, $"filler-{_fillers.Count}");
        _fillers.Add(path);
        var chunk = new byte[4096];
        try
        {
            using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            while (true)
            {
                f.Write(chunk);
            }
        }
        catch (IOException)
        {
            // Full: what did not fit is not in the file.
        }
    }

    /// <summary>Removes what <see cref="Fill"/> wrote.</summary>
    public void Free()
    {
        foreach (var f in _fillers)
        {
            File.Delete(f);
        }
        _fillers.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Lazy: a process that outlived its test must not keep the mount (or fail the clean-up).
        Run("umount", "-l", Dir);
        TempDirs.Remove(Dir);
    }

    private static void Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(30_000) || p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{exe} {string.Join(' ', args)} failed: {err}");
        }
    }
}
