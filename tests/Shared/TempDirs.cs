// Temporary directories for tests, removed when the test process exits (a test that restarts an
// instance on a statedir cannot remove it itself while the instance may still hold it).
using System.Collections.Concurrent;

namespace Flux.Tests.Shared;

internal static class TempDirs
{
    private static readonly ConcurrentBag<string> Created = [];

    static TempDirs()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var dir in Created)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Already gone, or something still writes there: leave it to the tmp cleaner.
                }
            }
        };
    }

    /// <summary>Creates a directory under the system temp directory, named with a prefix.</summary>
    public static string Create(string prefix)
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        Created.Add(dir);
        return dir;
    }

    /// <summary>Creates a directory holding one file (a configuration directory, say).</summary>
    public static string Create(string prefix, string fileName, string text)
    {
        var dir = Create(prefix);
        File.WriteAllText(Path.Combine(dir, fileName), text);
        return dir;
    }

    /// <summary>Removes a directory now; one that is busy or gone is left to the exit clean-up.</summary>
    public static void Remove(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Removed at process exit, or already gone.
        }
    }
}
