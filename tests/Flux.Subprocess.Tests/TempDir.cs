// A scratch directory for one test, removed afterwards.
namespace Flux.Subprocess.Tests;

internal sealed class TempDir : IDisposable
{
    public string Path { get; } = TempDirs.Create("flux-tasks-");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a file, executable when <paramref name="mode"/> says so (then by a child process: see Executables).</summary>
    public string Write(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = File(name);
        if ((mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
        {
            return Executables.Write(path, text, mode);
        }
        System.IO.File.WriteAllText(path, text);
        System.IO.File.SetUnixFileMode(path, mode);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
