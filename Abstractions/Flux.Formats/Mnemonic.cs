// Mnemonicode encoding of a 64-bit FLUID, as flux-core's mnemonic.c does it with format "x-x-x--x-x-x".
namespace Flux.Formats;

internal static class Mnemonic
{
    private const uint Base = 1626;
    private static readonly Dictionary<string, int> Index = BuildIndex();

    // Each little-endian 32-bit half becomes three base-1626 digits, least significant first.
    public static string Encode(ulong id)
    {
        var lo = (uint)id;
        var hi = (uint)(id >> 32);
        return string.Join('-', Word(lo, 0), Word(lo, 1), Word(lo, 2)) + "--" + string.Join('-', Word(hi, 0), Word(hi, 1), Word(hi, 2));
    }

    // Port of mn_decode() for an 8-byte destination: words are runs of letters, any other characters
    // separate them, case is ignored. Returns null when the words do not decode to exactly 8 bytes.
    public static ulong? Decode(string s, out string? error)
    {
        error = null;
        Span<byte> dest = stackalloc byte[8];
        var offset = 0;
        var i = 0;
        while (true)
        {
            while (i < s.Length && !char.IsAsciiLetter(s[i]))
            {
                i++;
            }
            if (i == s.Length)
            {
                break;
            }
            var start = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }
            var word = s[start..i];
            if (!Index.TryGetValue(word.ToLowerInvariant(), out var index))
            {
                error = $"'{word}' is not a mnemonicode word";
                return null;
            }
            if (!Step(dest, ref offset, index, out error))
            {
                return null;
            }
        }
        if (!Finish(dest, offset, out error))
        {
            return null;
        }
        if (offset != 8)
        {
            error = $"words encode {Math.Max(offset, 0)} bytes, not 8";
            return null;
        }
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(dest);
    }

    private static string Word(uint x, int n) => MnemonicWords.All[n switch
    {
        0 => x % Base,
        1 => x / Base % Base,
        _ => x / (Base * Base) % Base,
    }];

    // mn_decode_word_index() with a 0-based word index.
    private static bool Step(Span<byte> dest, ref int offset, int index, out string? error)
    {
        error = null;
        if (index >= Base && offset % 4 != 2)
        {
            error = $"remainder word '{MnemonicWords.All[index]}' is out of place";
            return false;
        }
        if (offset >= dest.Length)
        {
            error = "too many words";
            return false;
        }
        var group = offset & ~3;
        var x = Read(dest, group);
        switch (offset % 4)
        {
            case 3:
                error = "words follow a 24-bit remainder word";
                return false;
            case 2:
                if (index >= Base)
                {
                    x += (uint)(index - Base) * Base * Base;
                    offset++;
                }
                else
                {
                    if (index >= 1625 || (index == 1624 && x > 1312671))
                    {
                        error = "word triple overflows 32 bits";
                        return false;
                    }
                    x += (uint)index * Base * Base;
                    offset += 2;
                }
                break;
            case 1:
                x += (uint)index * Base;
                offset++;
                break;
            default:
                x = (uint)index;
                offset++;
                break;
        }
        Write(dest, group, x);
        return true;
    }

    private static bool Finish(Span<byte> dest, int offset, out string? error)
    {
        error = null;
        var x = Read(dest, offset & ~3);
        var ok = (offset % 4) switch
        {
            2 => x <= 0xFFFF,
            1 => x <= 0xFF,
            _ => true,
        };
        if (!ok)
        {
            error = "words end with an incomplete group";
        }
        return ok;
    }

    private static uint Read(Span<byte> dest, int group)
    {
        uint x = 0;
        for (var k = 0; k < 4 && group + k < dest.Length; k++)
        {
            x |= (uint)dest[group + k] << (k * 8);
        }
        return x;
    }

    private static void Write(Span<byte> dest, int group, uint x)
    {
        for (var k = 0; k < 4 && group + k < dest.Length; k++)
        {
            dest[group + k] = (byte)(x & 0xff);
            x >>= 8;
        }
    }

    private static Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(MnemonicWords.All.Length, StringComparer.Ordinal);
        for (var i = 0; i < MnemonicWords.All.Length; i++)
        {
            index[MnemonicWords.All[i]] = i;
        }
        return index;
    }
}
