// fnmatch-style globs (* and ?), as flux-core matches message handler, jobtap and shell plugin topics.
namespace Flux.Formats;

/// <summary>Glob matching with <c>*</c> (any run) and <c>?</c> (any one character); no character classes.</summary>
public static class Glob
{
    /// <summary>Whether a pattern has glob characters.</summary>
    public static bool IsGlob(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return pattern.AsSpan().IndexOfAny('*', '?') >= 0;
    }

    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/> (linear backtracking on the last star).</summary>
    public static bool IsMatch(string pattern, string text)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(text);
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
