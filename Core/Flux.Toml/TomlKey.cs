// Spelling keys back as TOML, for error messages: bare when possible, else a quoted basic string.
using System.Globalization;
using System.Text;

namespace Flux.Toml;

internal static class TomlKey
{
    public static string Format(string key)
    {
        if (key.Length > 0 && key.AsSpan().IndexOfAnyExcept(TomlChars.BareKeyChar) < 0)
        {
            return key;
        }
        var sb = new StringBuilder(key.Length + 2).Append('"');
        foreach (var c in key)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\t' => sb.Append("\\t"),
                < ' ' or '\x7f' => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => sb.Append(c),
            };
        }
        return sb.Append('"').ToString();
    }
}
