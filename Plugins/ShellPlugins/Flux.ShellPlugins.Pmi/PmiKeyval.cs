// The key=value words of a simple PMI wire protocol line (RFC 13 simple PMI; flux-core libpmi/keyval.c).
using System.Globalization;

namespace Flux.ShellPlugins.Pmi;

/// <summary>
/// Reads one field of a request line such as <c>cmd=put kvsname=f2 key=k value=a b</c>. A field
/// starts at the line's start or after whitespace. Words end at whitespace; <see cref="String"/>
/// values run to the end of the line, as the value of <c>put</c> does.
/// </summary>
internal static class PmiKeyval
{
    /// <summary>Where the value of <paramref name="key"/> starts, or -1 when the line has no such field.</summary>
    private static int ValueStart(string line, string key)
    {
        var from = 0;
        while (from < line.Length)
        {
            var at = line.IndexOf(key, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }
            var end = at + key.Length;
            if (end < line.Length && line[end] == '=' && (at == 0 || char.IsWhiteSpace(line[at - 1])))
            {
                return end + 1;
            }
            from = at + 1;
        }
        return -1;
    }

    /// <summary>The word after <c>key=</c>, or null when the field is missing.</summary>
    public static string? Word(string line, string key)
    {
        var start = ValueStart(line, key);
        if (start < 0)
        {
            return null;
        }
        var end = start;
        while (end < line.Length && !char.IsWhiteSpace(line[end]))
        {
            end++;
        }
        return line[start..end];
    }

    /// <summary>Everything after <c>key=</c> to the end of the line, or null when the field is missing.</summary>
    public static string? String(string line, string key)
    {
        var start = ValueStart(line, key);
        if (start < 0)
        {
            return null;
        }
        var value = line[start..];
        // mpiexec.hydra of MPICH 4.1.1 and 4.2.0 appends " found=TRUE" to values it relays
        // (flux-core#6072): not part of the value.
        const string Quirk = " found=TRUE";
        return key == "value" && value.EndsWith(Quirk, StringComparison.Ordinal) ? value[..^Quirk.Length] : value;
    }

    /// <summary>The integer after <c>key=</c>; false when missing or not a whole decimal number.</summary>
    public static bool TryInt(string line, string key, out int value)
    {
        value = 0;
        return Word(line, key) is { } w && int.TryParse(w, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Whether the field is present with exactly this word (<c>cmd=barrier_in</c>).</summary>
    public static bool Is(string line, string key, string word) => Word(line, key) == word;
}
