// content-sqlite's journal: records read back in order, torn or corrupt tails dropped, emptied, set aside, disk full.
using System.Text;
using Flux.Modules.Content;

namespace Flux.Kvs.Tests;

public sealed class ContentJournalTests
{
    [Fact]
    public void Append_SeveralBatches_ReadReturnsEveryRecordNumberedInOrder()
    {
        var path = JournalPath();
        using (var j = ContentJournal.Start(path, lastSeq: 41))
        {
            j.Append([Bytes("a"), Bytes("bb")]);
            j.Append([Bytes(string.Empty)]);
            Assert.Equal(44, j.LastSeq);
        }
        var records = ContentJournal.Read(path);
        Assert.Equal([42L, 43L, 44L], records.Select(r => r.Seq));
        Assert.Equal(["a", "bb", string.Empty], records.Select(r => Encoding.UTF8.GetString(r.Payload.Span)));
    }

    [Fact]
    public void Read_LastRecordTorn_DropsOnlyIt()
    {
        var path = JournalPath();
        using (var j = ContentJournal.Start(path, 0))
        {
            j.Append([Bytes("first")]);
            j.Append([Bytes("second record")]);
        }
        // The broker died in the middle of the second write (which starts on the second page).
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(4096 + 16 + 5);
        }
        var records = ContentJournal.Read(path);
        Assert.Equal("first", Encoding.UTF8.GetString(Assert.Single(records).Payload.Span));
    }

    [Fact]
    public void Read_PayloadByteFlipped_StopsAtThatRecord()
    {
        var path = JournalPath();
        using (var j = ContentJournal.Start(path, 0))
        {
            j.Append([Bytes("one"), Bytes("two"), Bytes("three")]);
        }
        var data = File.ReadAllBytes(path);
        // The records of one write follow each other: record 2 starts after record 1 (16-byte header
        // + 3 bytes); flip a byte of its payload.
        data[19 + 16] ^= 0x20;
        File.WriteAllBytes(path, data);
        Assert.Equal([1L], ContentJournal.Read(path).Select(r => r.Seq));
    }

    [Fact]
    public void Stored_EverythingStored_EmptiesFileAndDisposeRemovesIt()
    {
        var path = JournalPath();
        var j = ContentJournal.Start(path, 0);
        j.Append([Bytes("x")]);
        j.Append([Bytes("y")]);
        j.Stored(1);
        Assert.True(new FileInfo(path).Length > 0, "the journal was emptied while SQLite lacked record 2");
        j.Stored(2);
        Assert.Equal(0, new FileInfo(path).Length);
        Assert.Empty(ContentJournal.Read(path));
        j.Dispose();
        Assert.False(File.Exists(path), "an empty journal stayed after dispose");
    }

    [Fact]
    public void Stored_LargeFileBehindSqlite_SetsItAsideUntilSqliteHoldsItsLastRecord()
    {
        var path = JournalPath();
        using var j = ContentJournal.Start(path, 0, rotateBytes: 5000);
        j.Append([new byte[200]]);
        j.Append([Bytes("2")]);
        j.Stored(1);
        Assert.True(File.Exists(path + ".old"), "a journal past its size was not set aside");
        j.Append([Bytes("3")]);
        Assert.Equal([1L, 2L, 3L], ContentJournal.Read(path).Select(r => r.Seq));
        j.Stored(2);
        Assert.False(File.Exists(path + ".old"), "the set-aside journal stayed once SQLite held its records");
        Assert.Equal([3L], ContentJournal.Read(path).Select(r => r.Seq));
    }

    [Fact]
    public void Start_AfterReplay_StartsEmptyAndNumbersOn()
    {
        var path = JournalPath();
        using (var j = ContentJournal.Start(path, 0, rotateBytes: 1))
        {
            j.Append([Bytes("1")]);
            j.Stored(0);
            j.Append([Bytes("2")]);
        }
        Assert.Equal([1L, 2L], ContentJournal.Read(path).Select(r => r.Seq));
        using (var again = ContentJournal.Start(path, 2))
        {
            again.Append([Bytes("3")]);
        }
        Assert.False(File.Exists(path + ".old"));
        Assert.Equal([3L], ContentJournal.Read(path).Select(r => r.Seq));
    }

    [MountFact]
    public void Append_DiskFull_ThrowsEnospcAndLeavesTheFileAtItsLastWholeRecord()
    {
        using var fs = Tmpfs.Mount("256k");
        var path = Path.Combine(fs.Dir, "content.journal");
        using var j = ContentJournal.Start(path, 0);
        j.Append([new byte[64 * 1024]]);
        var length = j.Length;
        var ex = Assert.ThrowsAny<IOException>(() => j.Append([new byte[512 * 1024]]));
        Assert.Equal(28, ex.HResult);
        Assert.Equal(length, new FileInfo(path).Length);
        Assert.Equal(1, j.LastSeq);
        j.Append([Bytes("fits")]);
        Assert.Equal([1L, 2L], ContentJournal.Read(path).Select(r => r.Seq));
    }

    [Fact]
    public void Append_EachWrite_StartsANewPage()
    {
        var path = JournalPath();
        using var j = ContentJournal.Start(path, 0);
        j.Append([Bytes("a"), Bytes("b")]);
        Assert.Equal(4096, j.Length);
        j.Append([new byte[5000]]);
        Assert.Equal(3 * 4096, j.Length);
        Assert.Equal(3 * 4096, new FileInfo(path).Length);
        Assert.Equal([1L, 2L, 3L], ContentJournal.Read(path).Select(r => r.Seq));
    }

    private static string JournalPath() => Path.Combine(TempDirs.Create("flux-journal-"), "content.journal");

    private static ReadOnlyMemory<byte> Bytes(string s) => Encoding.UTF8.GetBytes(s);
}
