// Finds a task's program the way execvp(3) would, but in the task's PATH rather than the broker's.
namespace Flux.Subprocess;

// posix_spawnp searches the caller's own PATH, which is the broker's, not the job's.
internal static class ExecutableSearch
{
    // glibc's execvp default when PATH is unset (confstr _CS_PATH).
    private const string DefaultPath = "/bin:/usr/bin";

    /// <summary>
    /// The path to execute for <paramref name="program"/>, or null and the errno execvp would fail
    /// with. <paramref name="cwd"/> is the task's absolute working directory.
    /// </summary>
    public static (string? Path, int Errno) Resolve(string program, IReadOnlyList<string> environment, string cwd)
    {
        if (program.Length == 0)
        {
            return (null, LibC.ENOENT);
        }
        if (program.Contains('/', StringComparison.Ordinal))
        {
            // The kernel resolves it after the child's chdir, and reports errors precisely.
            return (program, 0);
        }
        var sawAccessError = false;
        foreach (var dir in SearchPath(environment).Split(':'))
        {
            // An empty entry means the current directory, which for the task is its own. Paths
            // are joined, not normalized: ".." after a symlink means what the kernel says it means.
            var baseDir = dir.Length == 0 ? "." : dir;
            var candidate = Path.IsPathRooted(baseDir) ? Path.Join(baseDir, program) : Path.Join(cwd, baseDir, program);
            if (!File.Exists(candidate))
            {
                continue;
            }
            if (LibC.access(candidate, LibC.XOk) == 0)
            {
                return (candidate, 0);
            }
            // As execvp: a found but unusable file is reported only if nothing better turns up.
            sawAccessError = true;
        }
        return (null, sawAccessError ? LibC.EACCES : LibC.ENOENT);
    }

    private static string SearchPath(IReadOnlyList<string> environment)
    {
        foreach (var entry in environment)
        {
            // getenv semantics: the first PATH entry wins.
            if (entry.StartsWith("PATH=", StringComparison.Ordinal))
            {
                return entry[5..];
            }
        }
        return DefaultPath;
    }
}
