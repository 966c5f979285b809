// The TOML 1.0 reader: document structure, headers, keys and TOML's table-definition rules.
using System.Text.Unicode;

namespace Flux.Toml;

/// <summary>
/// A single-pass reader over UTF-8 bytes. Every step consumes input, so parsing is linear; the
/// only recursion is through arrays and inline tables, bounded by <see cref="TomlParser.MaxDepth"/>.
/// Partial files: strings and keys, then numbers and date/times.
/// </summary>
internal ref partial struct TomlReader
{
    private readonly ReadOnlySpan<byte> _s;
    private readonly string? _file;
    private int _pos;
    private int _start;

    // Position cache for Locate: line, column and line start at _cPos. Parsing moves forward,
    // so each lookup only counts the bytes since the previous one.
    private int _cPos;
    private int _cLine;
    private int _cLineStart;
    private int _cCol;

    // Scratch for strings that need decoding (escapes, CRLF). Strings without them are made
    // straight from the source bytes.
    private char[]? _chars;
    private int _charLen;

    // Recently made short strings, by hash of their bytes: keys and small values repeat a lot
    // (every [[array]] element has the same keys), so this saves most of their allocations.
    private string?[]? _interned;

    public TomlReader(ReadOnlySpan<byte> utf8, string? fileName)
    {
        _s = utf8;
        _file = fileName;
        _cLine = 1;
        _cCol = 1;
    }

    public TomlTable ParseDocument()
    {
        // One UTF-8 byte-order mark may open the document; it is not content.
        if (_s.StartsWith("\uFEFF"u8))
        {
            _pos = _start = _cPos = _cLineStart = 3;
        }
        ValidateUtf8();
        var root = new TomlTable(TomlTableKind.Root, 1, 1);
        var current = root;
        var depth = 0;
        while (true)
        {
            SkipWhitespace();
            if (_pos >= _s.Length)
            {
                return root;
            }
            switch (_s[_pos])
            {
                case (byte)'\n':
                    _pos++;
                    break;
                case (byte)'\r':
                    ExpectNewline();
                    break;
                case (byte)'#':
                    SkipComment();
                    break;
                case (byte)'[':
                    current = ParseHeader(root, out depth);
                    ExpectLineEnd("table header");
                    break;
                default:
                    ParseKeyValue(current, depth);
                    ExpectLineEnd("value");
                    break;
            }
        }
    }

    /// <summary>
    /// Parses <c>[a.b]</c> or <c>[[a.b]]</c> and returns the table that following key/value pairs
    /// go into, with its depth.
    /// </summary>
    private TomlTable ParseHeader(TomlTable root, out int depth)
    {
        var headerStart = _pos;
        var (line, col) = Locate(headerStart);
        var isArray = Peek(1) == '[';
        _pos += isArray ? 2 : 1;
        SkipWhitespace();
        var keyStart = _pos;
        var table = root;
        depth = 0;
        var segments = 0;
        string key;
        while (true)
        {
            var segStart = _pos;
            key = ParseKeySegment();
            segments++;
            SkipWhitespace();
            if (Peek() != '.')
            {
                break;
            }
            _pos++;
            SkipWhitespace();
            table = DescendHeader(table, key, segStart, keyStart, segments, ref depth);
        }
        if (isArray)
        {
            if (Peek() != ']' || Peek(1) != ']')
            {
                throw Error(_pos, $"expected ']]' to close the array-of-tables header, found {Describe(_pos)}");
            }
            _pos += 2;
        }
        else
        {
            if (Peek() != ']')
            {
                throw Error(_pos, $"expected ']' to close the table header, found {Describe(_pos)}");
            }
            _pos++;
        }

        var existing = table.Find(key);
        CheckDepth(++depth, headerStart);
        if (isArray)
        {
            TomlArray array;
            if (existing is null)
            {
                array = new TomlArray(isArrayOfTables: true, line, col);
                table.Add(key, array);
            }
            else if (existing is TomlArray { IsArrayOfTables: true } aot)
            {
                array = aot;
            }
            else
            {
                throw Error(headerStart, $"cannot append to [[{KeyText(keyStart, segments)}]]: it is already defined as {Describe(existing)} (first defined at line {existing.Line})");
            }
            CheckDepth(++depth, headerStart);
            var element = new TomlTable(TomlTableKind.Header, line, col);
            array.Add(element);
            return element;
        }
        if (existing is null)
        {
            var created = new TomlTable(TomlTableKind.Header, line, col);
            table.Add(key, created);
            return created;
        }
        if (existing is TomlTable { Definition: TomlTableKind.Implicit } implicitTable)
        {
            // A table created as the parent of an earlier header may be defined once, later.
            implicitTable.Definition = TomlTableKind.Header;
            implicitTable.Line = line;
            implicitTable.Column = col;
            return implicitTable;
        }
        var what = existing switch
        {
            TomlTable { Definition: TomlTableKind.Dotted } => "is already defined by dotted keys",
            TomlTable { Definition: TomlTableKind.Inline } => "is already defined as an inline table",
            TomlTable => "is already defined",
            _ => $"is already defined as {Describe(existing)}",
        };
        throw Error(headerStart, $"table [{KeyText(keyStart, segments)}] {what} (first defined at line {existing.Line})");
    }

    /// <summary>Steps through one non-final segment of a header, creating an implicit table if needed.</summary>
    private TomlTable DescendHeader(TomlTable table, string key, int segStart, int keyStart, int segments, ref int depth)
    {
        var existing = table.Find(key);
        switch (existing)
        {
            case null:
                var (line, col) = Locate(segStart);
                var created = new TomlTable(TomlTableKind.Implicit, line, col);
                table.Add(key, created);
                CheckDepth(++depth, segStart);
                return created;
            case TomlTable { Definition: TomlTableKind.Inline }:
                throw Error(segStart, $"cannot add to inline table '{KeyText(keyStart, segments)}' (defined at line {existing.Line}): inline tables are complete once written");
            case TomlTable t:
                CheckDepth(++depth, segStart);
                return t;
            case TomlArray { IsArrayOfTables: true } aot:
                // [a.b] after [[a]] refers to the most recently defined element of a.
                depth += 2;
                CheckDepth(depth, segStart);
                return (TomlTable)aot[aot.Count - 1];
            default:
                throw Error(segStart, $"cannot use '{KeyText(keyStart, segments)}' as a table: it is already defined as {Describe(existing)} (first defined at line {existing.Line})");
        }
    }

    /// <summary>Parses <c>key = value</c> (the key may be dotted) into <paramref name="table"/> at <paramref name="depth"/>.</summary>
    private void ParseKeyValue(TomlTable table, int depth)
    {
        var keyStart = _pos;
        var segStart = _pos;
        var segments = 1;
        var key = ParseKeySegment();
        SkipWhitespace();
        while (Peek() == '.')
        {
            _pos++;
            SkipWhitespace();
            table = DescendDotted(table, key, segStart, keyStart, segments);
            CheckDepth(++depth, segStart);
            segStart = _pos;
            key = ParseKeySegment();
            segments++;
            SkipWhitespace();
        }
        if (Peek() != '=')
        {
            throw Error(_pos, $"expected '=' after key, found {Describe(_pos)}");
        }
        _pos++;
        SkipWhitespace();
        if (table.Find(key) is { } existing)
        {
            throw Error(segStart, $"duplicate key '{KeyText(keyStart, segments)}' (first defined at line {existing.Line})");
        }
        table.Add(key, ParseValue(depth + 1));
    }

    /// <summary>
    /// Steps through a non-final part of a dotted key. TOML 1.0 forbids "using dotted keys to
    /// redefine tables already defined in [table] form", and inline tables are complete once
    /// written; a table only implied by a header is not yet defined, so dotted keys may extend it,
    /// which defines it (a later [header] for it is then a redefinition).
    /// </summary>
    private TomlTable DescendDotted(TomlTable table, string key, int segStart, int keyStart, int segments)
    {
        var existing = table.Find(key);
        switch (existing)
        {
            case null:
                var (line, col) = Locate(segStart);
                var created = new TomlTable(TomlTableKind.Dotted, line, col);
                table.Add(key, created);
                return created;
            case TomlTable { Definition: TomlTableKind.Dotted } dotted:
                return dotted;
            case TomlTable { Definition: TomlTableKind.Implicit } implied:
                implied.Definition = TomlTableKind.Dotted;
                return implied;
            case TomlTable { Definition: TomlTableKind.Inline }:
                throw Error(segStart, $"cannot add to inline table '{KeyText(keyStart, segments)}' (defined at line {existing.Line}): inline tables are complete once written");
            case TomlTable:
                throw Error(segStart, $"cannot add to table '{KeyText(keyStart, segments)}' with a dotted key: it is defined by a [header] (first defined at line {existing.Line})");
            default:
                throw Error(segStart, $"cannot use '{KeyText(keyStart, segments)}' as a table: it is already defined as {Describe(existing)} (first defined at line {existing.Line})");
        }
    }

    private TomlValue ParseValue(int depth)
    {
        var start = _pos;
        if (start >= _s.Length)
        {
            throw Error(start, "expected a value, found end of input");
        }
        var (line, col) = Locate(start);
        switch (_s[start])
        {
            case (byte)'"':
                return new TomlString(IsTripleQuote((byte)'"') ? ReadMultilineBasicString() : ReadBasicString(), line, col);
            case (byte)'\'':
                return new TomlString(IsTripleQuote((byte)'\'') ? ReadMultilineLiteralString() : ReadLiteralString(), line, col);
            case (byte)'[':
                return ParseArray(depth, line, col);
            case (byte)'{':
                return ParseInlineTable(depth, line, col);
            case (byte)'t' or (byte)'f' or (byte)'i' or (byte)'n':
                return ParseWord(line, col);
            case (byte)'+' or (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                return ParseNumberOrDateTime(line, col);
            default:
                if (TomlChars.IsWord(_s[start]))
                {
                    return ParseWord(line, col);
                }
                throw Error(start, $"expected a value, found {Describe(start)}");
        }
    }

    private TomlArray ParseArray(int depth, int line, int col)
    {
        var open = _pos;
        CheckDepth(depth, open);
        _pos++;
        var array = new TomlArray(isArrayOfTables: false, line, col);
        while (true)
        {
            SkipBlank();
            if (Peek() == ']')
            {
                _pos++;
                return array;
            }
            if (_pos >= _s.Length)
            {
                throw Error(_pos, $"expected a value or ']' to close the array opened at line {line}, found end of input");
            }
            array.Add(ParseValue(depth + 1));
            SkipBlank();
            switch (Peek())
            {
                case ',':
                    _pos++;
                    break;
                case ']':
                    _pos++;
                    return array;
                default:
                    throw Error(_pos, $"expected ',' or ']' after an array element, found {Describe(_pos)}");
            }
        }
    }

    private TomlTable ParseInlineTable(int depth, int line, int col)
    {
        CheckDepth(depth, _pos);
        _pos++;
        var table = new TomlTable(TomlTableKind.Inline, line, col);
        SkipWhitespace();
        if (Peek() == '}')
        {
            _pos++;
            return table;
        }
        while (true)
        {
            ParseKeyValue(table, depth);
            SkipWhitespace();
            switch (Peek())
            {
                case ',':
                    _pos++;
                    SkipWhitespace();
                    if (Peek() == '}')
                    {
                        throw Error(_pos, "a trailing comma is not allowed in an inline table");
                    }
                    break;
                case '}':
                    _pos++;
                    return table;
                default:
                    var hint = Peek() is '\n' or '\r' ? " (an inline table must fit on one line)" : string.Empty;
                    throw Error(_pos, $"expected ',' or '}}' in inline table, found {Describe(_pos)}{hint}");
            }
        }
    }

    private void CheckDepth(int depth, int pos)
    {
        if (depth > TomlParser.MaxDepth)
        {
            throw Error(pos, $"nesting is too deep: more than {TomlParser.MaxDepth} levels of tables and arrays");
        }
    }

    private int Peek() => _pos < _s.Length ? _s[_pos] : -1;

    private int Peek(int ahead) => _pos + ahead < _s.Length ? _s[_pos + ahead] : -1;

    private void SkipWhitespace()
    {
        while (_pos < _s.Length && (_s[_pos] == ' ' || _s[_pos] == '\t'))
        {
            _pos++;
        }
    }

    /// <summary>Skips whitespace, newlines and comments, as allowed between array elements.</summary>
    private void SkipBlank()
    {
        while (_pos < _s.Length)
        {
            switch (_s[_pos])
            {
                case (byte)' ' or (byte)'\t' or (byte)'\n':
                    _pos++;
                    break;
                case (byte)'\r':
                    ExpectNewline();
                    break;
                case (byte)'#':
                    SkipComment();
                    break;
                default:
                    return;
            }
        }
    }

    /// <summary>Consumes LF or CRLF; a carriage return on its own is not a newline in TOML.</summary>
    private void ExpectNewline()
    {
        if (Peek() == '\n')
        {
            _pos++;
        }
        else if (Peek() == '\r' && Peek(1) == '\n')
        {
            _pos += 2;
        }
        else
        {
            throw Error(_pos, $"expected a newline, found {Describe(_pos)} (a line ends with LF or CRLF)");
        }
    }

    /// <summary>After a header or key/value pair: optional whitespace and comment, then a newline or the end.</summary>
    private void ExpectLineEnd(string after)
    {
        SkipWhitespace();
        if (Peek() == '#')
        {
            SkipComment();
        }
        if (_pos >= _s.Length)
        {
            return;
        }
        if (Peek() is not ('\n' or '\r'))
        {
            throw Error(_pos, $"expected a newline after the {after}, found {Describe(_pos)}");
        }
        ExpectNewline();
    }

    /// <summary>Skips a comment up to (not including) its newline; TOML forbids control characters but tab in it.</summary>
    private void SkipComment()
    {
        _pos++;
        var i = _s[_pos..].IndexOfAny(TomlChars.CommentStop);
        if (i < 0)
        {
            _pos = _s.Length;
            return;
        }
        _pos += i;
        if (Peek() == '\n' || (Peek() == '\r' && Peek(1) == '\n'))
        {
            return;
        }
        throw Error(_pos, $"{Describe(_pos)} is not allowed in a comment");
    }

    /// <summary>TOML 1.0: "A TOML file must be a valid UTF-8 encoded Unicode document."</summary>
    private void ValidateUtf8()
    {
        var body = _s[_start..];
        if (Utf8.IsValid(body))
        {
            return;
        }
        var i = 0;
        while (true)
        {
            var ascii = body[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            i += ascii;
            if (System.Text.Rune.DecodeFromUtf8(body[i..], out _, out var n) != System.Buffers.OperationStatus.Done)
            {
                var hint = _s.Length >= 2 && ((_s[0] == 0xFF && _s[1] == 0xFE) || (_s[0] == 0xFE && _s[1] == 0xFF))
                    ? " (this looks like UTF-16; TOML documents are UTF-8)"
                    : string.Empty;
                throw Error(_start + i, $"invalid UTF-8 byte 0x{body[i]:X2}{hint}");
            }
            i += n;
        }
    }
}
