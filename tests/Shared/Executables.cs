// Executables a test writes or copies. A file this process holds open for writing is inherited, for
// the instant between fork and exec, by any child another test is spawning at that moment; executing
// the file while such a child lives fails with ETXTBSY ("Text file busy"). A child process writes it
// instead, so the write descriptor never exists in this process.
using System.Diagnostics;

namespace Flux.Tests.Shared;

internal static class Executables
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> and makes it executable (0755 unless told).</summary>
    public static string Write(string path, string text, UnixFileMode mode = Mode)
    {
        RunSh("cat > \"$1\"", text, path);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    /// <summary>Copies an executable to <paramref name="to"/> (0755 unless told).</summary>
    public static string Copy(string from, string to, UnixFileMode mode = Mode)
    {
        RunSh("cp -f \"$1\" \"$2\"", null, from, to);
        File.SetUnixFileMode(to, mode);
        return to;
    }

    private static void RunSh(string script, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", script, "sh" }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
        }
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new IOException($"sh -c '{script}' {string.Join(' ', args)} exited {p.ExitCode}: {err.Trim()}");
        }
    }
}
