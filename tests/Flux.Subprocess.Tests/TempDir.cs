// A scratch directory for one test, removed afterwards.
using System.Diagnostics;

namespace Flux.Subprocess.Tests;

internal sealed class TempDir : IDisposable
{
    public string Path { get; } = TempDirs.Create("flux-tasks-");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Writes a file, executable when <paramref name="mode"/> says so. An executable is written by a
    /// child process: a file this process has open for writing can be inherited, for an instant, by a
    /// task another test is spawning, and executing it then fails with ETXTBSY ("Text file busy").
    /// </summary>
    public string Write(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = File(name);
        if ((mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            System.IO.File.WriteAllText(path, text);
        }
        else
        {
            var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, UseShellExecute = false };
            foreach (var a in new[] { "-c", "cat > \"$1\"", "sh", path })
            {
                psi.ArgumentList.Add(a);
            }
            using var p = Process.Start(psi)!;
            p.StandardInput.Write(text);
            p.StandardInput.Close();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new IOException($"writing {path} failed (sh exited {p.ExitCode})");
            }
        }
        System.IO.File.SetUnixFileMode(path, mode);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
