// KVS key paths: dot-separated names below the root "." (RFC 11), checked and split.
using Flux.Abstractions;

namespace Flux.Modules.Kvs;

/// <summary>
/// Parses a key into its path components. <c>"."</c> is the root (no components). A single trailing
/// dot is allowed (<c>flux kvs dir</c> prints directories as <c>a.</c>); an empty key, a leading dot
/// and an empty component (<c>a..b</c>) are errors (EINVAL) that quote the key.
/// </summary>
internal static class KvsKey
{
    /// <summary>Splits a key; throws EINVAL for a malformed one.</summary>
    public static string[] Split(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new FluxException(Errno.EINVAL, "invalid key '': a key cannot be empty");
        }
        if (key == ".")
        {
            return [];
        }
        if (key[0] == '.')
        {
            throw new FluxException(Errno.EINVAL, $"invalid key '{key}': a key cannot start with '.'");
        }
        var body = key[^1] == '.' ? key[..^1] : key;
        var parts = body.Split('.');
        foreach (var p in parts)
        {
            if (p.Length == 0)
            {
                throw new FluxException(Errno.EINVAL, $"invalid key '{key}': empty path component (two dots in a row)");
            }
        }
        return parts;
    }

    /// <summary>The normal form of a key ("." for the root).</summary>
    public static string Join(IReadOnlyList<string> parts) => parts.Count == 0 ? "." : string.Join('.', parts);
}
