// Topic globs for message handlers: the contract's fnmatch-style Glob.
using Flux.Formats;

namespace Flux.Core.Messaging;

/// <summary>Glob matching of topics (see <see cref="Glob"/>).</summary>
public static class TopicGlob
{
    /// <summary>Whether a pattern has glob characters.</summary>
    public static bool IsGlob(string pattern) => Glob.IsGlob(pattern);

    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(string pattern, string text) => Glob.IsMatch(pattern, text);
}
