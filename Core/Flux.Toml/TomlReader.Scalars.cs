// Unquoted values: booleans, integers (dec/hex/oct/bin), floats, and the four date/time kinds.
using System.Globalization;
using System.Text;

namespace Flux.Toml;

internal ref partial struct TomlReader
{
    private readonly int WordEnd(int start)
    {
        var n = _s[start..].IndexOfAnyExcept(TomlChars.Word);
        return n < 0 ? _s.Length : start + n;
    }

    /// <summary>true, false, inf, nan; any other word is an error (usually a string missing its quotes).</summary>
    private TomlValue ParseWord(int line, int col)
    {
        var start = _pos;
        var end = WordEnd(start);
        var word = _s[start..end];
        _pos = end;
        if (word.SequenceEqual("true"u8))
        {
            return new TomlBoolean(true, line, col);
        }
        if (word.SequenceEqual("false"u8))
        {
            return new TomlBoolean(false, line, col);
        }
        if (word.SequenceEqual("inf"u8))
        {
            return new TomlFloat(double.PositiveInfinity, line, col);
        }
        if (word.SequenceEqual("nan"u8))
        {
            return new TomlFloat(double.NaN, line, col);
        }
        throw Error(start, $"invalid value '{Excerpt(start, end)}' (expected true, false, a number, a date-time, a quoted string, an array or an inline table)");
    }

    private TomlValue ParseNumberOrDateTime(int line, int col)
    {
        var start = _pos;
        var rest = _s[start..];
        // A date starts with four digits and '-', a local time with two digits and ':'.
        if (rest.Length >= 5 && rest[..4].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0 && rest[4] == '-')
        {
            return ParseDateTime(line, col);
        }
        if (rest.Length >= 3 && TomlChars.IsDigit(rest[0]) && TomlChars.IsDigit(rest[1]) && rest[2] == ':')
        {
            return ParseLocalTime(line, col);
        }
        var end = WordEnd(start);
        _pos = end;
        var t = _s[start..end];
        var p = 0;
        var negative = false;
        if (t[0] is (byte)'+' or (byte)'-')
        {
            negative = t[0] == '-';
            p = 1;
        }
        var body = t[p..];
        if (body.SequenceEqual("inf"u8))
        {
            return new TomlFloat(negative ? double.NegativeInfinity : double.PositiveInfinity, line, col);
        }
        if (body.SequenceEqual("nan"u8))
        {
            return new TomlFloat(double.NaN, line, col);
        }
        if (body.Length > 1 && body[0] == '0' && body[1] is (byte)'x' or (byte)'o' or (byte)'b')
        {
            if (p > 0)
            {
                throw InvalidNumber(start, end, "a sign is not allowed on a hexadecimal, octal or binary integer");
            }
            return new TomlInteger(ParseRadix(start, end), line, col);
        }
        return ParseDecimal(start, end, p, negative, line, col);
    }

    /// <summary>dec-int, or a float: dec-int followed by a fraction and/or an exponent (TOML 1.0 ABNF).</summary>
    private TomlValue ParseDecimal(int start, int end, int p, bool negative, int line, int col)
    {
        var t = _s[start..end];
        if (p >= t.Length || !TomlChars.IsDigit(t[p]))
        {
            throw InvalidNumber(start, end, "expected a digit");
        }
        if (t[p] == '0' && p + 1 < t.Length && (TomlChars.IsDigit(t[p + 1]) || t[p + 1] == '_'))
        {
            throw InvalidNumber(start, end, "leading zeros are not allowed");
        }
        ScanDigits(start, end, ref p);
        var isFloat = false;
        if (p < t.Length && t[p] == '.')
        {
            isFloat = true;
            p++;
            if (p >= t.Length || !TomlChars.IsDigit(t[p]))
            {
                throw InvalidNumber(start, end, "expected a digit after the decimal point");
            }
            ScanDigits(start, end, ref p);
        }
        if (p < t.Length && (t[p] == 'e' || t[p] == 'E'))
        {
            isFloat = true;
            p++;
            if (p < t.Length && t[p] is (byte)'+' or (byte)'-')
            {
                p++;
            }
            if (p >= t.Length || !TomlChars.IsDigit(t[p]))
            {
                throw InvalidNumber(start, end, "expected a digit in the exponent");
            }
            ScanDigits(start, end, ref p);
        }
        if (p != t.Length)
        {
            throw InvalidNumber(start, end, $"unexpected '{(char)t[p]}'");
        }
        return isFloat
            ? new TomlFloat(ToDouble(start, end), line, col)
            : new TomlInteger(ToInt64(start, end, negative), line, col);
    }

    /// <summary>Digits with single underscores between them; the first byte is known to be a digit.</summary>
    private void ScanDigits(int start, int end, ref int p)
    {
        var t = _s[start..end];
        while (true)
        {
            while (p < t.Length && TomlChars.IsDigit(t[p]))
            {
                p++;
            }
            if (p >= t.Length || t[p] != '_')
            {
                return;
            }
            if (p + 1 >= t.Length || !TomlChars.IsDigit(t[p + 1]))
            {
                throw InvalidNumber(start, end, "an underscore must be between two digits");
            }
            p++;
        }
    }

    private long ToInt64(int start, int end, bool negative)
    {
        // The magnitude may reach 2^63 only for a negative number.
        var limit = negative ? 9223372036854775808UL : long.MaxValue;
        ulong value = 0;
        foreach (var b in _s[start..end])
        {
            if (!TomlChars.IsDigit(b))
            {
                continue;
            }
            var d = (ulong)(b - '0');
            if (value > (limit - d) / 10)
            {
                throw Error(start, $"integer overflow: '{Excerpt(start, end)}' does not fit in a 64-bit signed integer");
            }
            value = (value * 10) + d;
        }
        return negative ? unchecked((long)(0UL - value)) : (long)value;
    }

    private double ToDouble(int start, int end)
    {
        var t = _s[start..end];
        Span<byte> buf = t.Length <= 64 ? stackalloc byte[64] : new byte[t.Length];
        var n = 0;
        foreach (var b in t)
        {
            if (b != '_')
            {
                buf[n++] = b;
            }
        }
        if (!double.TryParse(buf[..n], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw InvalidNumber(start, end, "not a float");
        }
        if (double.IsInfinity(value))
        {
            throw Error(start, $"float '{Excerpt(start, end)}' is out of range for a 64-bit float");
        }
        return value;
    }

    /// <summary>0x, 0o or 0b followed by digits of that base, with single underscores between digits.</summary>
    private long ParseRadix(int start, int end)
    {
        var t = _s[start..end];
        var (radix, name) = t[1] switch
        {
            (byte)'x' => (16, "a hexadecimal"),
            (byte)'o' => (8, "an octal"),
            _ => (2, "a binary"),
        };
        if (t.Length == 2)
        {
            throw InvalidNumber(start, end, $"expected digits after '0{(char)t[1]}'");
        }
        ulong value = 0;
        var afterDigit = false;
        for (var p = 2; p < t.Length; p++)
        {
            var b = t[p];
            if (b == '_')
            {
                if (!afterDigit || p + 1 >= t.Length)
                {
                    throw InvalidNumber(start, end, "an underscore must be between two digits");
                }
                afterDigit = false;
                continue;
            }
            var d = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => 99,
            };
            if (d >= radix)
            {
                throw InvalidNumber(start, end, $"'{(char)b}' is not {name} digit");
            }
            if (value > ((ulong)long.MaxValue - (ulong)d) / (ulong)radix)
            {
                throw Error(start, $"integer overflow: '{Excerpt(start, end)}' does not fit in a 64-bit signed integer");
            }
            value = (value * (ulong)radix) + (ulong)d;
            afterDigit = true;
        }
        return (long)value;
    }

    private TomlException InvalidNumber(int start, int end, string reason) =>
        Error(start, $"invalid number '{Excerpt(start, end)}': {reason}");

    /// <summary>full-date, optionally followed by 'T', 't' or a space and a time, and then by an offset.</summary>
    private TomlDateTime ParseDateTime(int line, int col)
    {
        var start = _pos;
        var year = Digits(start, 4);
        var month = Digits(start + 5, 2);
        var day = Digits(start + 8, 2);
        if (month < 0 || At(start + 7) != '-' || day < 0)
        {
            throw InvalidDateTime(start, "expected a date like 1979-05-27");
        }
        if (month is < 1 or > 12)
        {
            throw Error(start + 5, $"invalid month {month:D2} in date '{Excerpt(start, start + 10)}' (01-12)");
        }
        var days = month == 2 ? (IsLeapYear(year) ? 29 : 28) : month is 4 or 6 or 9 or 11 ? 30 : 31;
        if (day < 1 || day > days)
        {
            throw Error(start + 8, $"invalid day {day:D2} in date '{Excerpt(start, start + 10)}' (that month has {days} days)");
        }
        _pos = start + 10;
        var sep = Peek();
        // A space separates date and time only when a time follows (TOML 1.0 "Offset Date-Time").
        var hasTime = sep is 'T' or 't' || (sep == ' ' && TomlChars.IsDigit(Peek(1)) && TomlChars.IsDigit(Peek(2)) && Peek(3) == ':');
        if (!hasTime)
        {
            EndOfValue(start, "date");
            return new TomlDateTime(TomlValueKind.LocalDate, year, month, day, 0, 0, 0, string.Empty, null, line, col);
        }
        _pos++;
        var (hour, minute, second, fraction) = ReadTime(start);
        int? offset = null;
        var c = Peek();
        if (c is 'Z' or 'z')
        {
            offset = 0;
            _pos++;
        }
        else if (c is '+' or '-')
        {
            var oh = Digits(_pos + 1, 2);
            var om = Digits(_pos + 4, 2);
            if (oh < 0 || At(_pos + 3) != ':' || om < 0)
            {
                throw InvalidDateTime(start, "expected a UTC offset like +05:30, -08:00 or Z");
            }
            if (oh > 23 || om > 59)
            {
                throw Error(_pos, $"invalid UTC offset '{Excerpt(_pos, _pos + 6)}' (hours 00-23, minutes 00-59)");
            }
            offset = (c == '-' ? -1 : 1) * ((oh * 60) + om);
            _pos += 6;
        }
        EndOfValue(start, "date-time");
        var kind = offset is null ? TomlValueKind.LocalDateTime : TomlValueKind.OffsetDateTime;
        return new TomlDateTime(kind, year, month, day, hour, minute, second, fraction, offset, line, col);
    }

    private TomlDateTime ParseLocalTime(int line, int col)
    {
        var start = _pos;
        var (hour, minute, second, fraction) = ReadTime(start);
        EndOfValue(start, "time");
        return new TomlDateTime(TomlValueKind.LocalTime, 0, 0, 0, hour, minute, second, fraction, null, line, col);
    }

    /// <summary>partial-time = HH:MM:SS [ "." 1*DIGIT ]; seconds are required in TOML 1.0.</summary>
    private (int Hour, int Minute, int Second, string Fraction) ReadTime(int valueStart)
    {
        var p = _pos;
        var hour = Digits(p, 2);
        var minute = Digits(p + 3, 2);
        var second = Digits(p + 6, 2);
        if (hour < 0 || At(p + 2) != ':' || minute < 0 || At(p + 5) != ':' || second < 0)
        {
            throw InvalidDateTime(valueStart, "expected a time like 07:32:00 (seconds are required)");
        }
        if (hour > 23 || minute > 59 || second > 60)
        {
            throw Error(p, $"invalid time '{Excerpt(p, p + 8)}' (hour 00-23, minute 00-59, second 00-60)");
        }
        _pos = p + 8;
        var fraction = string.Empty;
        if (Peek() == '.')
        {
            var end = _pos + 1;
            while (end < _s.Length && TomlChars.IsDigit(_s[end]))
            {
                end++;
            }
            if (end == _pos + 1)
            {
                throw Error(_pos, "expected a digit after the decimal point in the seconds");
            }
            fraction = Encoding.ASCII.GetString(_s[(_pos + 1)..end]);
            _pos = end;
        }
        return (hour, minute, second, fraction);
    }

    /// <summary>A date/time must not run on into other value characters (e.g. <c>2020-01-01x</c>).</summary>
    private void EndOfValue(int start, string what)
    {
        if (TomlChars.IsWord(Peek()))
        {
            throw Error(start, $"invalid {what} '{Excerpt(start, WordEnd(_pos))}'");
        }
    }

    private TomlException InvalidDateTime(int start, string reason) =>
        Error(start, $"invalid {(At(start + 2) == ':' ? "time" : "date-time")} '{Excerpt(start, WordEnd(start))}': {reason}");

    private readonly int At(int pos) => pos < _s.Length ? _s[pos] : -1;

    /// <summary>The value of <paramref name="count"/> decimal digits at <paramref name="pos"/>, or -1.</summary>
    private readonly int Digits(int pos, int count)
    {
        if (pos + count > _s.Length)
        {
            return -1;
        }
        var value = 0;
        for (var i = pos; i < pos + count; i++)
        {
            if (!TomlChars.IsDigit(_s[i]))
            {
                return -1;
            }
            value = (value * 10) + (_s[i] - '0');
        }
        return value;
    }

    private static bool IsLeapYear(int year) => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}
