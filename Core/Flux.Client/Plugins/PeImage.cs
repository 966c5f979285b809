// Whether a file is a .NET assembly and whether it carries ReadyToRun code, from its PE headers alone.
using System.Buffers.Binary;

namespace Flux.Client.Plugins;

/// <summary>
/// Reads the few PE/COFF header fields that say whether a file is a .NET assembly (a CLI header,
/// ECMA-335 §II.25.3.3) and whether that header points to a ReadyToRun header (its
/// ManagedNativeHeader directory). A client uses it to choose a plugin's load context before loading
/// it, without loading System.Reflection.Metadata: that library and the generic code it needs cost a
/// flux command about 8 ms of its ~80 ms, where these two reads cost a few microseconds.
/// </summary>
public static class PeImage
{
    private const int CliHeaderDirectory = 14;
    private const int CliHeaderSize = 72;
    private const int ManagedNativeHeaderOffset = 64;

    /// <summary>True for a ReadyToRun assembly, false for an IL-only one, null when the file is not a .NET assembly.</summary>
    public static bool? IsReadyToRun(string path)
    {
        using var file = File.OpenHandle(path);
        Span<byte> head = stackalloc byte[4096];
        head = head[..RandomAccess.Read(file, head, 0)];
        if (CliHeaderOffset(head) is not { } offset)
        {
            return null;
        }
        Span<byte> cli = stackalloc byte[CliHeaderSize];
        if (RandomAccess.Read(file, cli, offset) < CliHeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(cli) < CliHeaderSize)
        {
            return null;
        }
        return BinaryPrimitives.ReadUInt32LittleEndian(cli[(ManagedNativeHeaderOffset + 4)..]) > 0;
    }

    // The CLI header's file offset, or null when the headers hold none (or are not PE).
    private static uint? CliHeaderOffset(ReadOnlySpan<byte> head)
    {
        if (head.Length < 0x40 || head[0] != 'M' || head[1] != 'Z')
        {
            return null;
        }
        var pe = (int)BinaryPrimitives.ReadUInt32LittleEndian(head[0x3C..]);
        if (pe < 0 || pe + 24 > head.Length || BinaryPrimitives.ReadUInt32LittleEndian(head[pe..]) != 0x00004550)
        {
            return null;
        }
        var coff = pe + 4;
        int sections = BinaryPrimitives.ReadUInt16LittleEndian(head[(coff + 2)..]);
        int optionalSize = BinaryPrimitives.ReadUInt16LittleEndian(head[(coff + 16)..]);
        var optional = coff + 20;
        var directories = BinaryPrimitives.ReadUInt16LittleEndian(head[optional..]) switch
        {
            0x10b => optional + 96,
            0x20b => optional + 112,
            _ => -1,
        };
        var entry = directories + (CliHeaderDirectory * 8);
        if (directories < 0 || entry + 8 > optional + optionalSize || optional + optionalSize + (sections * 40) > head.Length)
        {
            return null;
        }
        var rva = BinaryPrimitives.ReadUInt32LittleEndian(head[entry..]);
        if (rva == 0)
        {
            return null;
        }
        for (var i = 0; i < sections; i++)
        {
            var s = head[(optional + optionalSize + (i * 40))..];
            var virtualSize = BinaryPrimitives.ReadUInt32LittleEndian(s[8..]);
            var virtualAddress = BinaryPrimitives.ReadUInt32LittleEndian(s[12..]);
            var rawSize = BinaryPrimitives.ReadUInt32LittleEndian(s[16..]);
            var rawPointer = BinaryPrimitives.ReadUInt32LittleEndian(s[20..]);
            if (rva >= virtualAddress && rva < virtualAddress + Math.Max(virtualSize, rawSize))
            {
                return rva - virtualAddress + rawPointer;
            }
        }
        return null;
    }
}
