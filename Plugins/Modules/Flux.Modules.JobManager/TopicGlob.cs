// fnmatch(3)-style matching of plugin topics: *, ? and [...] (no escapes; topics are plain words and dots).
namespace Flux.Modules.JobManager;

internal static class TopicGlob
{
    /// <summary>Whether <paramref name="topic"/> matches <paramref name="glob"/>; a leading '.' is matched only literally when <paramref name="period"/> (FNM_PERIOD).</summary>
    public static bool Match(string glob, string topic, bool period = false)
    {
        if (period && topic.StartsWith('.') && !glob.StartsWith('.'))
        {
            return false;
        }
        return Match(glob.AsSpan(), topic.AsSpan());
    }

    private static bool Match(ReadOnlySpan<char> g, ReadOnlySpan<char> t)
    {
        while (g.Length > 0)
        {
            switch (g[0])
            {
                case '*':
                    for (var i = 0; i <= t.Length; i++)
                    {
                        if (Match(g[1..], t[i..]))
                        {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (t.Length == 0)
                    {
                        return false;
                    }
                    break;
                case '[':
                    var close = g.IndexOf(']');
                    if (close < 0 || t.Length == 0 || !InSet(g[1..close], t[0]))
                    {
                        return false;
                    }
                    g = g[(close + 1)..];
                    t = t[1..];
                    continue;
                default:
                    if (t.Length == 0 || t[0] != g[0])
                    {
                        return false;
                    }
                    break;
            }
            g = g[1..];
            t = t[1..];
        }
        return t.Length == 0;
    }

    private static bool InSet(ReadOnlySpan<char> set, char c)
    {
        var negate = set.Length > 0 && set[0] is '!' or '^';
        if (negate)
        {
            set = set[1..];
        }
        var found = false;
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                found |= c >= set[i] && c <= set[i + 2];
                i += 2;
            }
            else
            {
                found |= c == set[i];
            }
        }
        return found != negate;
    }
}
