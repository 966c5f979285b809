// glob(3) for source() and plugin.load: *, ? and [...] per path component, a leading ~, sorted results.
namespace Flux.Shell.Lua;

/// <summary>
/// The file globbing flux-core's rc.c and plugstack.c get from glob(3) with GLOB_TILDE_CHECK: a name starting
/// with '.' matches only a pattern starting with '.', matches come back sorted, and a pattern without glob
/// characters yields itself when the file exists.
/// </summary>
internal static class FileGlob
{
    public static bool IsPattern(string s) => s.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>
    /// Expands a pattern; a relative one is looked up in <paramref name="baseDir"/> (the job's working directory:
    /// the shell process does not chdir into it) and its matches come back relative, as glob(3) gives them.
    /// </summary>
    public static List<string> Expand(string pattern, string? baseDir)
    {
        pattern = ExpandTilde(pattern);
        if (string.IsNullOrEmpty(baseDir) || pattern.StartsWith('/'))
        {
            return Expand(pattern);
        }
        string prefix = baseDir.EndsWith('/') ? baseDir : baseDir + "/";
        return [.. Expand(prefix + pattern).Select(p => p.StartsWith(prefix, StringComparison.Ordinal) ? p[prefix.Length..] : p)];
    }

    /// <summary>A file name in <paramref name="baseDir"/> when it is relative (see <see cref="Expand(string, string?)"/>).</summary>
    public static string Resolve(string path, string? baseDir)
    {
        path = ExpandTilde(path);
        return string.IsNullOrEmpty(baseDir) || path.StartsWith('/') ? path : Path.Join(baseDir, path);
    }

    public static List<string> Expand(string pattern)
    {
        pattern = ExpandTilde(pattern);
        if (!IsPattern(pattern))
        {
            return File.Exists(pattern) || Directory.Exists(pattern) ? [pattern] : [];
        }
        bool absolute = pattern.StartsWith('/');
        var parts = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var found = new List<string> { absolute ? "/" : "" };
        for (int i = 0; i < parts.Length && found.Count > 0; i++)
        {
            bool last = i == parts.Length - 1;
            var next = new List<string>();
            foreach (var dir in found)
            {
                if (IsPattern(parts[i]))
                {
                    next.AddRange(Matching(dir, parts[i], last));
                }
                else
                {
                    string path = Join(dir, parts[i]);
                    if (last ? File.Exists(path) || Directory.Exists(path) : Directory.Exists(path))
                    {
                        next.Add(path);
                    }
                }
            }
            found = next;
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static List<string> Matching(string dir, string component, bool last)
    {
        string where = dir.Length == 0 ? "." : dir;
        if (!Directory.Exists(where))
        {
            return [];
        }
        try
        {
            var entries = last ? Directory.EnumerateFileSystemEntries(where) : Directory.EnumerateDirectories(where);
            return entries.Select(Path.GetFileName).Where(n => n is not null && Match(component, n)).Select(n => Join(dir, n!)).ToList();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // glob(3) without GLOB_ERR skips folders it cannot read.
            return [];
        }
    }

    private static string Join(string dir, string name) => dir.Length == 0 ? name : dir == "/" ? "/" + name : dir + "/" + name;

    private static string ExpandTilde(string pattern)
    {
        if (pattern == "~" || pattern.StartsWith("~/", StringComparison.Ordinal))
        {
            string home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return home + pattern[1..];
        }
        return pattern;
    }

    /// <summary>fnmatch(3) of one path component, with FNM_PERIOD.</summary>
    public static bool Match(string pattern, string name)
    {
        if (name.StartsWith('.') && !pattern.StartsWith('.'))
        {
            return false;
        }
        int p = 0, s = 0, starP = -1, starS = 0;
        while (s < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starS = s;
                continue;
            }
            if (p < pattern.Length && MatchOne(pattern, p, name[s], out int after))
            {
                p = after;
                s++;
                continue;
            }
            if (starP < 0)
            {
                return false;
            }
            p = starP + 1;
            s = ++starS;
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }

    /// <summary>Whether the pattern element at <paramref name="p"/> (?, [class], or a literal) matches <paramref name="c"/>.</summary>
    private static bool MatchOne(string pattern, int p, char c, out int after)
    {
        after = p + 1;
        if (pattern[p] == '?')
        {
            return true;
        }
        if (pattern[p] == '[' && TryClass(pattern, p, c, out int end, out bool matched))
        {
            after = end;
            return matched;
        }
        return pattern[p] == c;
    }

    /// <summary>A bracket expression at <paramref name="p"/>; false when it has no closing bracket (then '[' is literal).</summary>
    private static bool TryClass(string pattern, int p, char c, out int end, out bool matched)
    {
        int i = p + 1;
        bool negate = i < pattern.Length && (pattern[i] == '!' || pattern[i] == '^');
        if (negate)
        {
            i++;
        }
        matched = false;
        bool first = true;
        while (i < pattern.Length && (first || pattern[i] != ']'))
        {
            first = false;
            char lo = pattern[i];
            if (i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
            {
                matched |= c >= lo && c <= pattern[i + 2];
                i += 3;
            }
            else
            {
                matched |= c == lo;
                i++;
            }
        }
        end = i + 1;
        if (i >= pattern.Length)
        {
            return false;
        }
        matched ^= negate;
        return true;
    }
}
