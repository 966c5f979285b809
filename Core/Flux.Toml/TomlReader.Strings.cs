// Keys and the four TOML string forms; escapes decoded into a pooled buffer only when present.
using System.Buffers;
using System.Globalization;
using System.Text;

namespace Flux.Toml;

internal ref partial struct TomlReader
{
    public void Dispose()
    {
        if (_chars is not null)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = null;
        }
    }

    /// <summary>One part of a key: bare, "basic" or 'literal' (multi-line strings are not keys).</summary>
    private string ParseKeySegment()
    {
        var c = Peek();
        if (c == '"' || c == '\'')
        {
            if (IsTripleQuote((byte)c))
            {
                throw Error(_pos, "a multi-line string cannot be used as a key");
            }
            return c == '"' ? ReadBasicString() : ReadLiteralString();
        }
        var rest = _s[_pos..];
        var n = rest.IndexOfAnyExcept(TomlChars.BareKey);
        if (n < 0)
        {
            n = rest.Length;
        }
        if (n == 0)
        {
            throw Error(_pos, $"expected a key, found {Describe(_pos)}");
        }
        _pos += n;
        return Intern(rest[..n]);
    }

    /// <summary>The string for short ASCII text, shared with an earlier equal one when the cache has it.</summary>
    private string Intern(ReadOnlySpan<byte> utf8)
    {
        const int MaxLength = 32;
        if (utf8.Length > MaxLength || utf8.IsEmpty)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619u;
        }
        _interned ??= new string?[1024];
        ref var slot = ref _interned[hash & 1023];
        if (slot is not null && slot.Length == utf8.Length && Ascii.Equals(utf8, slot))
        {
            return slot;
        }
        if (!Ascii.IsValid(utf8))
        {
            return Encoding.UTF8.GetString(utf8);
        }
        return slot = Encoding.ASCII.GetString(utf8);
    }

    private readonly bool IsTripleQuote(byte quote) =>
        _pos + 2 < _s.Length && _s[_pos] == quote && _s[_pos + 1] == quote && _s[_pos + 2] == quote;

    /// <summary>A single-line basic string: escapes allowed, no newlines, no control characters but tab.</summary>
    private string ReadBasicString()
    {
        var open = _pos;
        _pos++;
        var segment = _pos;
        var buffered = false;
        while (true)
        {
            var i = _s[_pos..].IndexOfAny(TomlChars.BasicStop);
            if (i < 0)
            {
                throw Error(open, "unterminated string: expected '\"' before the end of input");
            }
            _pos += i;
            var b = _s[_pos];
            if (b == '"')
            {
                var text = _s[segment.._pos];
                _pos++;
                return Finish(buffered, text);
            }
            if (b != '\\')
            {
                throw StringControl(open, "string");
            }
            StartOrAppend(ref buffered, _s[segment.._pos]);
            ReadEscape(multiline: false);
            segment = _pos;
        }
    }

    /// <summary>A multi-line basic string. A newline right after the opening quotes is dropped (TOML 1.0 "String").</summary>
    private string ReadMultilineBasicString()
    {
        var open = _pos;
        _pos += 3;
        SkipOneNewline();
        var segment = _pos;
        var buffered = false;
        while (true)
        {
            var i = _s[_pos..].IndexOfAny(TomlChars.MultilineBasicStop);
            if (i < 0)
            {
                throw Error(open, "unterminated multi-line string: expected '\"\"\"' before the end of input");
            }
            _pos += i;
            var b = _s[_pos];
            if (b == '"')
            {
                if (TryCloseMultiline((byte)'"', out var end))
                {
                    return Finish(buffered, _s[segment..end]);
                }
                continue;
            }
            StartOrAppend(ref buffered, _s[segment.._pos]);
            if (b == '\\')
            {
                ReadEscape(multiline: true);
            }
            else if (b == '\r' && Peek(1) == '\n')
            {
                // CRLF in a multi-line string is normalized to LF, as the spec permits.
                Append('\n');
                _pos += 2;
            }
            else
            {
                throw StringControl(open, "multi-line string");
            }
            segment = _pos;
        }
    }

    /// <summary>A single-line literal string: no escapes, no newlines, no control characters but tab.</summary>
    private string ReadLiteralString()
    {
        var open = _pos;
        _pos++;
        var i = _s[_pos..].IndexOfAny(TomlChars.LiteralStop);
        if (i < 0)
        {
            throw Error(open, "unterminated string: expected \"'\" before the end of input");
        }
        _pos += i;
        if (_s[_pos] != '\'')
        {
            throw StringControl(open, "literal string");
        }
        var text = _s[(open + 1).._pos];
        _pos++;
        return text.IsEmpty ? string.Empty : Intern(text);
    }

    private string ReadMultilineLiteralString()
    {
        var open = _pos;
        _pos += 3;
        SkipOneNewline();
        var segment = _pos;
        var buffered = false;
        while (true)
        {
            var i = _s[_pos..].IndexOfAny(TomlChars.MultilineLiteralStop);
            if (i < 0)
            {
                throw Error(open, "unterminated multi-line literal string: expected \"'''\" before the end of input");
            }
            _pos += i;
            if (_s[_pos] == '\'')
            {
                if (TryCloseMultiline((byte)'\'', out var end))
                {
                    return Finish(buffered, _s[segment..end]);
                }
                continue;
            }
            if (_s[_pos] != '\r' || Peek(1) != '\n')
            {
                throw StringControl(open, "multi-line literal string");
            }
            StartOrAppend(ref buffered, _s[segment.._pos]);
            Append('\n');
            _pos += 2;
            segment = _pos;
        }
    }

    /// <summary>
    /// At a run of quotes inside a multi-line string: one or two are content; three close the string,
    /// and up to two more before them are content (ABNF: <c>[ mlb-quotes ] ml-basic-string-delim</c>).
    /// </summary>
    private bool TryCloseMultiline(byte quote, out int contentEnd)
    {
        var run = 0;
        while (_pos + run < _s.Length && _s[_pos + run] == quote)
        {
            run++;
        }
        if (run < 3)
        {
            _pos += run;
            contentEnd = 0;
            return false;
        }
        var extra = Math.Min(run - 3, 2);
        contentEnd = _pos + extra;
        _pos += extra + 3;
        return true;
    }

    private void SkipOneNewline()
    {
        if (Peek() == '\n')
        {
            _pos++;
        }
        else if (Peek() == '\r' && Peek(1) == '\n')
        {
            _pos += 2;
        }
    }

    private TomlException StringControl(int open, string what)
    {
        if (Peek() == '\n' || (Peek() == '\r' && Peek(1) == '\n'))
        {
            var quote = (char)_s[open];
            return Error(_pos, $"expected '{quote}' to close the {what} opened at column {Locate(open).Column}, found end of line");
        }
        return Error(_pos, $"{Describe(_pos)} must not appear in a {what}" + (what.Contains("literal", StringComparison.Ordinal) ? string.Empty : " (write it as an escape)"));
    }

    /// <summary>Decodes the escape at <c>_pos</c> (a backslash) into the buffer.</summary>
    private void ReadEscape(bool multiline)
    {
        var at = _pos;
        var e = Peek(1);
        switch (e)
        {
            case 'b': Append('\b'); break;
            case 't': Append('\t'); break;
            case 'n': Append('\n'); break;
            case 'f': Append('\f'); break;
            case 'r': Append('\r'); break;
            case '"': Append('"'); break;
            case '\\': Append('\\'); break;
            case 'u':
                ReadUnicodeEscape(at, 4);
                return;
            case 'U':
                ReadUnicodeEscape(at, 8);
                return;
            case ' ' or '\t' or '\n' or '\r' when multiline:
                SkipLineEndingBackslash(at);
                return;
            case -1:
                throw Error(at, "unterminated string: the input ends after '\\'");
            default:
                var shown = e is >= 0x20 and < 0x7F ? $"'\\{(char)e}'" : $"'\\' followed by {Describe(at + 1)}";
                throw Error(at, $"invalid escape sequence {shown} (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)");
        }
        _pos += 2;
    }

    private void ReadUnicodeEscape(int at, int digits)
    {
        var hex = _s.Slice(at + 2, Math.Min(digits, _s.Length - at - 2));
        var n = hex.IndexOfAnyExcept(TomlChars.HexDigit);
        if (hex.Length < digits || n >= 0)
        {
            var letter = digits == 4 ? 'u' : 'U';
            throw Error(at, $"invalid escape sequence '\\{letter}{Excerpt(at + 2, at + 2 + (n < 0 ? hex.Length : n))}': expected {digits} hex digits");
        }
        var value = uint.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        if (!Rune.IsValid(value))
        {
            throw Error(at, string.Create(CultureInfo.InvariantCulture, $"invalid escape sequence '\\{(digits == 4 ? 'u' : 'U')}{Excerpt(at + 2, at + 2 + digits)}': U+{value:X4} is not a Unicode scalar value"));
        }
        EnsureChars(2);
        _charLen += new Rune(value).EncodeToUtf16(_chars.AsSpan(_charLen));
        _pos = at + 2 + digits;
    }

    /// <summary>
    /// "When the last non-whitespace character on a line is an unescaped \, it will be trimmed along
    /// with all whitespace (including newlines) up to the next non-whitespace character."
    /// </summary>
    private void SkipLineEndingBackslash(int at)
    {
        var p = at + 1;
        while (p < _s.Length && (_s[p] == ' ' || _s[p] == '\t'))
        {
            p++;
        }
        if (!(p < _s.Length && (_s[p] == '\n' || (_s[p] == '\r' && p + 1 < _s.Length && _s[p + 1] == '\n'))))
        {
            throw Error(at, "invalid escape sequence '\\ ': a backslash followed by whitespace must end the line");
        }
        while (p < _s.Length)
        {
            var b = _s[p];
            if (b == ' ' || b == '\t' || b == '\n')
            {
                p++;
            }
            else if (b == '\r' && p + 1 < _s.Length && _s[p + 1] == '\n')
            {
                p += 2;
            }
            else
            {
                break;
            }
        }
        _pos = p;
    }

    private string Finish(bool buffered, ReadOnlySpan<byte> lastSegment)
    {
        if (!buffered)
        {
            return lastSegment.IsEmpty ? string.Empty : Intern(lastSegment);
        }
        AppendUtf8(lastSegment);
        return _charLen == 0 ? string.Empty : new string(_chars!, 0, _charLen);
    }

    private void StartOrAppend(ref bool buffered, ReadOnlySpan<byte> utf8)
    {
        if (!buffered)
        {
            _charLen = 0;
            buffered = true;
        }
        AppendUtf8(utf8);
    }

    private void AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return;
        }
        EnsureChars(utf8.Length);
        _charLen += Encoding.UTF8.GetChars(utf8, _chars.AsSpan(_charLen));
    }

    private void Append(char c)
    {
        EnsureChars(1);
        _chars![_charLen++] = c;
    }

    private void EnsureChars(int more)
    {
        if (_chars is not null && _charLen + more <= _chars.Length)
        {
            return;
        }
        var next = ArrayPool<char>.Shared.Rent(Math.Max(256, (_charLen + more) * 2));
        if (_chars is not null)
        {
            _chars.AsSpan(0, _charLen).CopyTo(next);
            ArrayPool<char>.Shared.Return(_chars);
        }
        _chars = next;
    }
}
