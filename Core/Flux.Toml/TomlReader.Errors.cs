// Locating and wording parse errors: line and column, what was found, how a key was written.
using System.Globalization;
using System.Text;

namespace Flux.Toml;

internal ref partial struct TomlReader
{
    private TomlException Error(int pos, string reason)
    {
        var (line, col) = Locate(pos);
        return new TomlException(reason, _file, line, col);
    }

    /// <summary>The 1-based line and column (in characters) of a byte offset.</summary>
    private (int Line, int Column) Locate(int pos)
    {
        if (pos < _cLineStart)
        {
            _cPos = _cLineStart = _start;
            _cLine = 1;
            _cCol = 1;
        }
        else if (pos < _cPos)
        {
            _cPos = _cLineStart;
            _cCol = 1;
        }
        var slice = _s[_cPos..pos];
        var lastNewline = slice.LastIndexOf((byte)'\n');
        if (lastNewline >= 0)
        {
            _cLine += slice.Count((byte)'\n');
            _cLineStart = _cPos + lastNewline + 1;
            _cCol = 1 + CountChars(_s[_cLineStart..pos]);
        }
        else
        {
            _cCol += CountChars(slice);
        }
        _cPos = pos;
        return (_cLine, _cCol);
    }

    /// <summary>Characters in valid UTF-8: every byte that is not a continuation byte (10xxxxxx).</summary>
    private static int CountChars(ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Ascii.IsValid(utf8))
        {
            return utf8.Length;
        }
        var n = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) != 0x80)
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>What is at a position, for "expected X, found Y".</summary>
    private readonly string Describe(int pos)
    {
        if (pos >= _s.Length)
        {
            return "end of input";
        }
        var b = _s[pos];
        if (b == '\n' || (b == '\r' && pos + 1 < _s.Length && _s[pos + 1] == '\n'))
        {
            return "end of line";
        }
        if (b < 0x20 || b == 0x7F)
        {
            return string.Create(CultureInfo.InvariantCulture, $"control character U+{b:X4}");
        }
        if (b < 0x80)
        {
            return $"'{(char)b}'";
        }
        Rune.DecodeFromUtf8(_s[pos..], out var rune, out _);
        return string.Create(CultureInfo.InvariantCulture, $"'{rune}' (U+{rune.Value:X4})");
    }

    /// <summary>A kind of value with its article, for "already defined as ...".</summary>
    private static string Describe(TomlValue value) => value switch
    {
        TomlArray { IsArrayOfTables: true } => "an array of tables",
        TomlTable { Definition: TomlTableKind.Inline } => "an inline table",
        _ => value.Kind switch
        {
            TomlValueKind.Table => "a table",
            TomlValueKind.Array => "an array",
            TomlValueKind.String => "a string",
            TomlValueKind.Integer => "an integer",
            TomlValueKind.Float => "a float",
            TomlValueKind.Boolean => "a boolean",
            TomlValueKind.OffsetDateTime => "a date-time",
            TomlValueKind.LocalDateTime => "a local date-time",
            TomlValueKind.LocalDate => "a local date",
            _ => "a local time",
        },
    };

    /// <summary>The first <paramref name="segments"/> parts of the key at <paramref name="keyStart"/>, spelled canonically.</summary>
    private string KeyText(int keyStart, int segments)
    {
        var saved = _pos;
        _pos = keyStart;
        var sb = new StringBuilder();
        for (var i = 0; i < segments; i++)
        {
            if (i > 0)
            {
                SkipWhitespace();
                _pos++;
                SkipWhitespace();
                sb.Append('.');
            }
            sb.Append(TomlKey.Format(ParseKeySegment()));
        }
        _pos = saved;
        return sb.ToString();
    }

    /// <summary>Source text for a message, shortened when long.</summary>
    private readonly string Excerpt(int start, int end)
    {
        const int Max = 40;
        var text = Encoding.UTF8.GetString(_s[start..Math.Min(end, start + Max)]);
        return end - start > Max ? text + "..." : text;
    }
}
