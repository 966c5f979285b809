// Byte classes of the TOML 1.0 ABNF, as vectorizable search sets.
using System.Buffers;

namespace Flux.Toml;

internal static class TomlChars
{
    /// <summary>unquoted-key = 1*( ALPHA / DIGIT / %x2D / %x5F ).</summary>
    public static readonly SearchValues<byte> BareKey = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8);

    /// <summary>The same set as characters, for checking decoded keys.</summary>
    public static readonly SearchValues<char> BareKeyChar = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static readonly SearchValues<byte> HexDigit = SearchValues.Create("0123456789abcdefABCDEF"u8);

    /// <summary>Characters a bare value (number, date, bool, inf, nan) or a typo of one is made of.</summary>
    public static readonly SearchValues<byte> Word = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+.:"u8);

    /// <summary>Ends a comment: a newline, or a control character the spec forbids (all but tab).</summary>
    public static readonly SearchValues<byte> CommentStop = SearchValues.Create(Controls(exceptLf: false));

    /// <summary>Needs attention inside a basic string: the quote, an escape, or a control character.</summary>
    public static readonly SearchValues<byte> BasicStop = SearchValues.Create([.. Controls(exceptLf: false), (byte)'"', (byte)'\\']);

    /// <summary>Same for a multi-line basic string, where LF is content (CR is checked for CRLF).</summary>
    public static readonly SearchValues<byte> MultilineBasicStop = SearchValues.Create([.. Controls(exceptLf: true), (byte)'"', (byte)'\\']);

    /// <summary>Needs attention inside a literal string: the apostrophe or a control character.</summary>
    public static readonly SearchValues<byte> LiteralStop = SearchValues.Create([.. Controls(exceptLf: false), (byte)'\'']);

    /// <summary>Same for a multi-line literal string.</summary>
    public static readonly SearchValues<byte> MultilineLiteralStop = SearchValues.Create([.. Controls(exceptLf: true), (byte)'\'']);

    public static bool IsDigit(int b) => (uint)(b - '0') <= 9;

    public static bool IsWord(int b) => b >= 0 && Word.Contains((byte)b);

    /// <summary>U+0000-U+0008, U+000A-U+001F and U+007F: the controls TOML never allows unescaped (tab is allowed).</summary>
    private static byte[] Controls(bool exceptLf)
    {
        var list = new List<byte>();
        for (var b = 0; b < 0x20; b++)
        {
            if (b != '\t' && !(exceptLf && b == '\n'))
            {
                list.Add((byte)b);
            }
        }
        list.Add(0x7F);
        return [.. list];
    }
}
