// A scratch directory for one test, removed afterwards.
namespace Flux.Tasks.Tests;

internal sealed class TempDir : IDisposable
{
    public string Path { get; } = TempDirs.Create("flux-tasks-");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a file, executable when <paramref name="mode"/> says so.</summary>
    public string Write(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        System.IO.File.SetUnixFileMode(path, mode);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
