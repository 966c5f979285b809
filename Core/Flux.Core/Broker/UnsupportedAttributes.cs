// Broker attributes flux-core acts on and this build does not: refused on the command line, never ignored.
namespace Flux.Core.Broker;

/// <summary>
/// <c>flux start -S KEY=VAL</c> accepts any attribute (modules may read their own), so one flux-core
/// documents but nothing here reads would be silently ignored. These are refused with what to do instead.
/// </summary>
internal static class UnsupportedAttributes
{
    private static readonly Dictionary<string, string> Instead = new(StringComparer.Ordinal)
    {
        ["log-filename"] = "the log is in flux dmesg and on stderr (log-stderr-level)",
    };

    /// <summary>Why <paramref name="name"/> cannot be set, or null when it can.</summary>
    public static string? Why(string name) =>
        Instead.TryGetValue(name, out var instead) ? $"attribute '{name}' is not supported by this build: {instead}" : null;
}
