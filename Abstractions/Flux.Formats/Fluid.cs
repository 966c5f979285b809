// RFC 19 FLUID job ids: bit layout, the eight text encodings, and parsing with flux-core's detection order.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// Encodes and decodes FLUIDs, the 64-bit job ids of RFC 19: <c>timestamp:40 | generator id:14 | sequence:10</c>.
/// </summary>
public static class Fluid
{
    /// <summary>Bits of milliseconds since the generator's epoch.</summary>
    public const int TimestampBits = 40;

    /// <summary>Bits of generator id (normally the broker rank).</summary>
    public const int GeneratorIdBits = 14;

    /// <summary>Bits of per-millisecond sequence number.</summary>
    public const int SequenceBits = 10;

    /// <summary>The RFC 19 F58 alphabet (base58 without 0, O, I and l).</summary>
    public const string F58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private const char F58Prefix = '\u0192';
    private const string Overflow = "value exceeds 2^64-1";

    // POSIX precedence for the character-type locale.
    private static readonly string[] LocaleVariables = ["LC_ALL", "LC_CTYPE", "LANG"];
    private static readonly Dictionary<string, int> EmojiIndex = BuildEmojiIndex();
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>
    /// True when F58 ids should use the ASCII <c>f</c> prefix instead of <c>ƒ</c>: when
    /// <c>FLUX_F58_FORCE_ASCII</c> is set, or the locale (the first non-empty of <c>LC_ALL</c>,
    /// <c>LC_CTYPE</c>, <c>LANG</c>) does not name UTF-8. Read from the environment on each access.
    /// </summary>
    public static bool UseAsciiF58 => UseAsciiF58From(Environment.GetEnvironmentVariable);

    /// <summary>The <see cref="UseAsciiF58"/> rule applied to the variables <paramref name="getVariable"/> returns.</summary>
    public static bool UseAsciiF58From(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (getVariable("FLUX_F58_FORCE_ASCII") is not null)
        {
            return true;
        }
        var locale = LocaleVariables.Select(getVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return locale is null
            || !(locale.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || locale.Contains("UTF8", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The timestamp field: milliseconds since the generator's epoch.</summary>
    public static ulong Timestamp(ulong id) => id >> (GeneratorIdBits + SequenceBits);

    /// <summary>The generator id field.</summary>
    public static uint GeneratorId(ulong id) => (uint)(id >> SequenceBits) & ((1u << GeneratorIdBits) - 1);

    /// <summary>The sequence field.</summary>
    public static uint Sequence(ulong id) => (uint)id & ((1u << SequenceBits) - 1);

    /// <summary>Composes an id from its fields; throws ERANGE when a field does not fit its bits.</summary>
    public static ulong Compose(ulong timestamp, uint generatorId, uint sequence)
    {
        if (timestamp >= 1UL << TimestampBits || generatorId >= 1u << GeneratorIdBits || sequence >= 1u << SequenceBits)
        {
            throw new FluxException(Errno.ERANGE, $"FLUID fields out of range: timestamp={timestamp} id={generatorId} seq={sequence}");
        }
        return (timestamp << (GeneratorIdBits + SequenceBits)) | ((ulong)generatorId << SequenceBits) | sequence;
    }

    /// <summary>Encodes <paramref name="id"/> in the given form (see <see cref="FluidEncoding"/>).</summary>
    public static string Encode(ulong id, FluidEncoding encoding) => encoding switch
    {
        FluidEncoding.Dec => id.ToString(CultureInfo.InvariantCulture),
        FluidEncoding.Hex => "0x" + id.ToString("x", CultureInfo.InvariantCulture),
        FluidEncoding.Dothex => Dothex(id),
        FluidEncoding.Kvs => "job." + Dothex(id),
        FluidEncoding.Words => Mnemonic.Encode(id),
        FluidEncoding.F58 => (UseAsciiF58 ? "f" : F58Prefix.ToString()) + Base58(id),
        FluidEncoding.F58Plain => "f" + Base58(id),
        FluidEncoding.Emoji => Emoji(id),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown FLUID encoding"),
    };

    /// <summary>
    /// Parses a FLUID in any encoding. Surrounding whitespace is ignored; the form is detected in
    /// flux-core's order: contains <c>.</c> → dothex (a <c>job.</c> prefix is allowed, groups may be
    /// unpadded, exactly four groups); contains <c>-</c> → words; starts with <c>ƒ</c> or <c>f</c> → F58;
    /// starts with an emoji (UTF-8 F0 9F) → emoji; starts with <c>0x</c> → hex; otherwise decimal.
    /// Throws <see cref="FluxException"/>: EINVAL naming the detected form and the fault, or ERANGE when
    /// the value exceeds 2^64-1.
    /// </summary>
    public static ulong Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return ParseCore(s, out var error) ?? throw error!;
    }

    /// <summary>Like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out ulong id)
    {
        id = 0;
        if (s is null)
        {
            return false;
        }
        var result = ParseCore(s, out _);
        id = result ?? 0;
        return result.HasValue;
    }

    private static ulong? ParseCore(string input, out FluxException? error)
    {
        error = null;
        var s = input.Trim();
        string? fault;
        ulong? value;
        string form;
        if (s.Contains('.', StringComparison.Ordinal))
        {
            form = "dothex";
            value = ParseDothex(s.StartsWith("job.", StringComparison.Ordinal) ? s[4..] : s, out fault);
        }
        else if (s.Contains('-', StringComparison.Ordinal))
        {
            form = "words";
            value = Mnemonic.Decode(s, out fault);
        }
        else if (s.Length > 0 && (s[0] == F58Prefix || s[0] == 'f'))
        {
            form = "f58";
            // flux-core caps F58 at 12 digits (MAX_B58_STRLEN).
            if (s.Length - 1 > 12)
            {
                value = null;
                fault = "more than 12 base58 digits";
            }
            else
            {
                value = ParseBase(s.AsSpan(1), 58, static c => F58Alphabet.IndexOf(c, StringComparison.Ordinal), out fault);
            }
        }
        else if (s.Length > 1 && char.IsHighSurrogate(s[0]) && char.ConvertToUtf32(s[0], s[1]) is >= 0x1F000 and <= 0x1FFFF)
        {
            form = "emoji";
            value = ParseEmoji(s, out fault);
        }
        else if (s.StartsWith("0x", StringComparison.Ordinal))
        {
            form = "hex";
            value = ParseBase(s.AsSpan(2), 16, static c => char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? (c | 0x20) - 'a' + 10 : -1, out fault);
        }
        else
        {
            form = "decimal";
            value = ParseBase(s.AsSpan(), 10, static c => char.IsAsciiDigit(c) ? c - '0' : -1, out fault);
        }
        if (value is null)
        {
            var errnum = fault == Overflow ? Errno.ERANGE : Errno.EINVAL;
            error = new FluxException(errnum, $"invalid job id '{input}' ({form}): {fault}");
        }
        return value;
    }

    private static string Dothex(ulong id) => string.Create(CultureInfo.InvariantCulture,
        $"{(id >> 48) & 0xffff:x4}.{(id >> 32) & 0xffff:x4}.{(id >> 16) & 0xffff:x4}.{id & 0xffff:x4}");

    private static ulong? ParseDothex(string s, out string? fault)
    {
        var groups = s.Split('.');
        if (groups.Length != 4)
        {
            fault = $"expected 4 dot-separated groups, got {groups.Length}";
            return null;
        }
        ulong value = 0;
        foreach (var g in groups)
        {
            if (g.Length is 0 or > 4 || g.AsSpan().ContainsAnyExcept(HexDigits))
            {
                fault = $"group '{g}' is not 1-4 hex digits";
                return null;
            }
            value = (value << 16) | ulong.Parse(g, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        fault = null;
        return value;
    }

    // Digits in any base, most significant first, with overflow detection.
    private static ulong? ParseBase(ReadOnlySpan<char> digits, uint radix, Func<char, int> digitOf, out string? fault)
    {
        if (digits.IsEmpty)
        {
            fault = "no digits";
            return null;
        }
        UInt128 value = 0;
        foreach (var c in digits)
        {
            var d = digitOf(c);
            if (d < 0)
            {
                fault = $"'{c}' is not a base-{radix} digit";
                return null;
            }
            value = (value * radix) + (uint)d;
            if (value > ulong.MaxValue)
            {
                fault = Overflow;
                return null;
            }
        }
        fault = null;
        return (ulong)value;
    }

    private static string Base58(ulong id)
    {
        if (id == 0)
        {
            return F58Alphabet[0].ToString();
        }
        Span<char> buf = stackalloc char[12];
        var i = buf.Length;
        while (id > 0)
        {
            buf[--i] = F58Alphabet[(int)(id % 58)];
            id /= 58;
        }
        return new string(buf[i..]);
    }

    private static string Emoji(ulong id)
    {
        var digits = new Stack<string>();
        do
        {
            digits.Push(BasemojiTable.Digits[(int)(id % 576)]);
            id /= 576;
        }
        while (id > 0);
        var sb = new StringBuilder(digits.Count * 2);
        foreach (var d in digits)
        {
            sb.Append(d);
        }
        return sb.ToString();
    }

    private static ulong? ParseEmoji(string s, out string? fault)
    {
        UInt128 value = 0;
        var count = 0;
        for (var i = 0; i < s.Length; i += 2)
        {
            var digit = i + 1 < s.Length ? s.Substring(i, 2) : s[i..];
            if (!EmojiIndex.TryGetValue(digit, out var d))
            {
                fault = $"character at position {i} is not in the emoji table";
                return null;
            }
            value = (value * 576) + (uint)d;
            if (value > ulong.MaxValue)
            {
                fault = Overflow;
                return null;
            }
            count++;
        }
        // flux-core accepts 1 to 7 emoji (28 UTF-8 bytes).
        if (count > 7)
        {
            fault = "more than 7 emoji";
            return null;
        }
        fault = null;
        return (ulong)value;
    }

    private static Dictionary<string, int> BuildEmojiIndex()
    {
        var index = new Dictionary<string, int>(BasemojiTable.Digits.Length, StringComparer.Ordinal);
        for (var i = 0; i < BasemojiTable.Digits.Length; i++)
        {
            index[BasemojiTable.Digits[i]] = i;
        }
        return index;
    }
}
