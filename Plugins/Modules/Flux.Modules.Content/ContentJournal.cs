// content-sqlite's journal: checksummed records appended with one write, replayed after the death of the broker.
using System.Buffers.Binary;
using System.Numerics;
using Microsoft.Win32.SafeHandles;

namespace Flux.Modules.Content;

/// <summary>
/// An append-only file in the statedir that makes a write durable before SQLite holds it: a batch of
/// records goes to the file with one <c>write()</c> at its end, and the writes are answered; SQLite is
/// written behind. A record is <c>[4-byte payload length][8-byte sequence][4-byte CRC-32C of the
/// length, sequence and payload][payload]</c>, little-endian; the top bit of the length marks the
/// last record of a write, after which the file is padded to the next 4 KiB, so that every write
/// starts a new page, as SQLite's WAL writes whole pages: on a full disk the write that needs room
/// fails, instead of fitting into the end of a page and being noticed only by SQLite behind. There
/// is no fsync: as SQLite's WAL with
/// <c>synchronous=NORMAL</c>, the file survives the death of the process, not a power loss. A write
/// that fails (a full disk) is cut back, so the file ends with the last whole record; a record torn by
/// the death of the process fails its checksum and ends the reading (it was never answered).
/// Once SQLite holds every record the file is emptied; while SQLite lags behind a file that has grown
/// past <see cref="RotateBytes"/>, it becomes <c>PATH.old</c> (one at a time) and a new file starts,
/// and the old one is removed once SQLite holds its last record.
/// </summary>
internal sealed class ContentJournal : IDisposable
{
    /// <summary>The size past which the file is set aside and a new one started.</summary>
    public const long RotateBytes = 8L << 20;

    private const int HeaderSize = 16;
    private const int Page = 4096;
    private const uint LastOfWrite = 0x8000_0000;
    private readonly string _path;
    private readonly long _rotateBytes;
    private SafeFileHandle _file;
    private long _length;
    private long _oldLast = -1;

    private ContentJournal(string path, long lastSeq, long rotateBytes)
    {
        _path = path;
        _rotateBytes = rotateBytes;
        LastSeq = lastSeq;
        _file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
    }

    /// <summary>The sequence number of the newest record appended.</summary>
    public long LastSeq { get; private set; }

    /// <summary>The length of the current file, in bytes.</summary>
    public long Length => _length;

    /// <summary>The file's path.</summary>
    public string Path => _path;

    /// <summary>
    /// Reads every whole record of <c>PATH.old</c> then <c>PATH</c>, in order, each up to the first
    /// record that is torn, fails its checksum or is not numbered after the one before.
    /// </summary>
    public static List<(long Seq, ReadOnlyMemory<byte> Payload)> Read(string path)
    {
        var records = new List<(long, ReadOnlyMemory<byte>)>();
        foreach (var file in new[] { path + ".old", path })
        {
            if (!File.Exists(file))
            {
                continue;
            }
            ReadOnlyMemory<byte> data = File.ReadAllBytes(file);
            var at = 0;
            while (data.Length - at >= HeaderSize)
            {
                var header = data.Span.Slice(at, HeaderSize);
                var lenField = BinaryPrimitives.ReadUInt32LittleEndian(header);
                var len = (int)(lenField & ~LastOfWrite);
                if (len > data.Length - at - HeaderSize)
                {
                    break;
                }
                var seq = BinaryPrimitives.ReadInt64LittleEndian(header[4..]);
                var payload = data.Slice(at + HeaderSize, len);
                // Records are numbered one after the other: anything else is what a cut-short write left.
                if ((records.Count > 0 && seq != records[^1].Item1 + 1)
                    || BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != Checksum(lenField, seq, payload.Span))
                {
                    break;
                }
                records.Add((seq, payload));
                at += HeaderSize + len;
                if ((lenField & LastOfWrite) != 0)
                {
                    at = (int)PageAlign(at);
                }
            }
        }
        return records;
    }

    /// <summary>
    /// Starts an empty journal at <paramref name="path"/> (what was there must be in SQLite already)
    /// whose next record is numbered after <paramref name="lastSeq"/>; it is set aside past
    /// <paramref name="rotateBytes"/> (<see cref="RotateBytes"/> unless a test says otherwise).
    /// </summary>
    public static ContentJournal Start(string path, long lastSeq, long rotateBytes = RotateBytes)
    {
        File.Delete(path + ".old");
        return new ContentJournal(path, lastSeq, rotateBytes);
    }

    /// <summary>
    /// Appends one record per payload, numbered from <see cref="LastSeq"/> + 1, with one write.
    /// When the write fails the file is cut back to where it ended, no number is used, and the
    /// <see cref="IOException"/> is thrown (<c>HResult</c> 28 for a full disk).
    /// </summary>
    public void Append(IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        var size = 0L;
        foreach (var p in payloads)
        {
            size += HeaderSize + p.Length;
        }
        size = PageAlign(size);
        var buf = GC.AllocateUninitializedArray<byte>(checked((int)size));
        var at = 0;
        var seq = LastSeq;
        for (var i = 0; i < payloads.Count; i++)
        {
            var p = payloads[i];
            seq++;
            var lenField = (uint)p.Length | (i == payloads.Count - 1 ? LastOfWrite : 0);
            var header = buf.AsSpan(at, HeaderSize);
            BinaryPrimitives.WriteUInt32LittleEndian(header, lenField);
            BinaryPrimitives.WriteInt64LittleEndian(header[4..], seq);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Checksum(lenField, seq, p.Span));
            p.Span.CopyTo(buf.AsSpan(at + HeaderSize));
            at += HeaderSize + p.Length;
        }
        buf.AsSpan(at).Clear();
        try
        {
            RandomAccess.Write(_file, buf, _length);
        }
        catch (IOException)
        {
            CutBack();
            throw;
        }
        _length += size;
        LastSeq = seq;
    }

    /// <summary>
    /// Says that SQLite holds every record up to <paramref name="storedSeq"/>: the files it empties
    /// are emptied or removed, and a large file whose records SQLite does not all hold yet is set aside.
    /// </summary>
    public void Stored(long storedSeq)
    {
        if (storedSeq >= LastSeq)
        {
            if (_length > 0)
            {
                RandomAccess.SetLength(_file, 0);
                _length = 0;
            }
            RemoveOld();
            return;
        }
        if (_oldLast >= 0 && storedSeq >= _oldLast)
        {
            RemoveOld();
        }
        if (_oldLast < 0 && _length >= _rotateBytes)
        {
            File.Move(_path, _path + ".old");
            _file.Dispose();
            _oldLast = LastSeq;
            _length = 0;
            _file = File.OpenHandle(_path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        }
    }

    /// <summary>Closes the file; an empty journal is removed.</summary>
    public void Dispose()
    {
        _file.Dispose();
        if (_length == 0 && _oldLast < 0)
        {
            File.Delete(_path);
        }
    }

    private static long PageAlign(long offset) => (offset + Page - 1) & ~(long)(Page - 1);

    /// <summary>The CRC-32C of a record's length field, sequence number and payload.</summary>
    private static uint Checksum(uint lenField, long seq, ReadOnlySpan<byte> payload)
    {
        var crc = BitOperations.Crc32C(BitOperations.Crc32C(~0u, lenField), (ulong)seq);
        var i = 0;
        for (; i + 8 <= payload.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(payload[i..]));
        }
        for (; i < payload.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, payload[i]);
        }
        return ~crc;
    }

    private void RemoveOld()
    {
        if (_oldLast >= 0)
        {
            File.Delete(_path + ".old");
            _oldLast = -1;
        }
    }

    // A write cut short (by a full disk) leaves part of a record: cutting the file back gives its
    // space back; when even that fails, the next write overwrites it from the same offset, and a
    // reader stops at it as at any torn record.
    private void CutBack()
    {
        try
        {
            RandomAccess.SetLength(_file, _length);
        }
        catch (IOException)
        {
            // Left as said above.
        }
    }
}
