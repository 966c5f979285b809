// flux start -Scontent.dump=PATH as flux-core's rc3 (etc/modprobe/rc3.py): at a clean shutdown the KVS is
// written to a flux dump archive, which flux restore and -Scontent.restore take back.
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Flux.EndToEnd.Tests;

public sealed class ContentDumpEndToEndTests
{
    private readonly string _dir = TempDirs.Create("flux-e2e-dump-");

    [Fact]
    public async Task Start_ContentDump_ArchiveHoldsTheKvsAfterTheJobManagerLeft_RestoredByBothWays()
    {
        var archive = Path.Combine(_dir, "dump.tar");
        var r = await FluxProcess.RunAsync("start", $"-Scontent.dump={archive}", "sh", "-c", """
            flux kvs put a.b=dumped && flux kvs put c=1
            id=$(flux submit true) && flux job wait-event $id clean >/dev/null && echo $id
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        var job = r.Stdout.Trim();
        var entries = await ReadArchiveAsync(archive, gzip: false);
        Assert.Equal("dumped", entries["a/b"]);
        Assert.Equal("1", entries["c"]);
        // The job-manager writes its checkpoint when it unloads: the dump comes after (flux-core's
        // t2219-job-manager-restart.t checks max_jobid > 0 after a restart from such a dump).
        var checkpoint = JsonNode.Parse(entries["checkpoint/job-manager"])!;
        Assert.True(checkpoint["max_jobid"]!.GetValue<ulong>() > 0, entries["checkpoint/job-manager"]);

        var restored = await FluxProcess.RunAsync("start", $"-Scontent.restore={archive}", "sh", "-c", "flux kvs get a.b; flux jobs -a -no '{id} {state}'");
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal($"dumped\n{job} INACTIVE\n", restored.Stdout);

        var byCommand = await FluxProcess.RunAsync("start", "sh", "-c", $"flux restore -q {archive} && flux kvs get a.b c");
        Assert.True(byCommand.ExitCode == 0, byCommand.ToString());
        Assert.Equal("dumped\n1\n", byCommand.Stdout);
    }

    [Fact]
    public async Task Start_ContentDumpAuto_DatedTgzAndRestoreLink_RestoredByContentRestoreAuto()
    {
        var statedir = Path.Combine(_dir, "state");
        var first = await FluxProcess.RunAsync("start", $"-Sstatedir={statedir}", "-Scontent.dump=auto", "flux", "kvs", "put", "x=dumped");
        Assert.True(first.ExitCode == 0, first.ToString());
        var dumpDir = Path.Combine(statedir, "dump");
        var tgz = Assert.Single(Directory.GetFiles(dumpDir, "*.tgz"));
        Assert.Matches(@"^\d{8}_\d{6}\.tgz$", Path.GetFileName(tgz));
        var link = new FileInfo(Path.Combine(dumpDir, "RESTORE"));
        Assert.Equal(Path.GetFileName(tgz), link.LinkTarget);
        Assert.Equal("dumped", (await ReadArchiveAsync(tgz, gzip: true))["x"]);

        // A key put after the dump, by an instance that dumps nothing, is gone once the dump is restored.
        var second = await FluxProcess.RunAsync("start", $"-Sstatedir={statedir}", "flux", "kvs", "put", "later=1");
        Assert.True(second.ExitCode == 0, second.ToString());
        var third = await FluxProcess.RunAsync("start", $"-Sstatedir={statedir}", "-Scontent.restore=auto", "sh", "-c", "flux kvs get x; flux kvs get later; echo rc=$?");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal("dumped\nrc=1\n", third.Stdout);
        // RESTORE is removed once restored, as flux-core's rc1 (a FileInfo of a missing path has no link target).
        Assert.Null(new FileInfo(link.FullName).LinkTarget);
    }

    [Fact]
    public async Task FluxDump_TgzName_GzipCompressed_AndRestoredFromIt()
    {
        var tgz = Path.Combine(_dir, "kvs.tar.gz");
        var r = await FluxProcess.RunAsync("start", "sh", "-c", $"flux kvs put k=v && flux dump -q {tgz} && flux kvs put k=changed && flux restore -q {tgz} && flux kvs get k");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("v\n", r.Stdout);
        Assert.Equal("v", (await ReadArchiveAsync(tgz, gzip: true))["k"]);
    }

    [Fact]
    public async Task Start_ContentDump_BadValues_ClearErrors()
    {
        var empty = await FluxProcess.RunAsync("start", "-Scontent.dump=", "true");
        Assert.NotEqual(0, empty.ExitCode);
        Assert.Contains("content.dump: expected a file for the flux dump archive, or auto, got an empty value", empty.Stderr, StringComparison.Ordinal);

        var noDir = Path.Combine(_dir, "nosuch", "dump.tar");
        var missing = await FluxProcess.RunAsync("start", $"-Scontent.dump={noDir}", "true");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains($"content.dump: {noDir}: directory {Path.GetDirectoryName(noDir)} does not exist", missing.Stderr, StringComparison.Ordinal);

        var bz2 = Path.Combine(_dir, "dump.tar.bz2");
        var unwritable = await FluxProcess.RunAsync("start", $"-Scontent.dump={bz2}", "true");
        Assert.NotEqual(0, unwritable.ExitCode);
        Assert.Contains($"{bz2}: cannot write a .tar.bz2 archive (accepted: .tgz or .tar.gz", unwritable.Stderr, StringComparison.Ordinal);

        // flux setattr content.dump at run time is checked the same way (rc3 reads it at shutdown).
        var setattr = await FluxProcess.RunAsync("start", "sh", "-c", $"flux setattr content.dump {noDir}; echo rc=$?");
        Assert.True(setattr.ExitCode == 0, setattr.ToString());
        Assert.Contains("rc=1", setattr.Stdout, StringComparison.Ordinal);
        Assert.Contains("does not exist", setattr.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ContentDumpSetByFluxSetattr_DumpsAtShutdown()
    {
        var archive = Path.Combine(_dir, "late.tar");
        var r = await FluxProcess.RunAsync("start", "sh", "-c", $"flux kvs put late=yes && flux setattr content.dump {archive}");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("yes", (await ReadArchiveAsync(archive, gzip: false))["late"]);
    }

    [Fact]
    public async Task Start_ContentDumpFails_BrokerExits1_AndNoPartialArchive()
    {
        var sub = Path.Combine(_dir, "gone");
        Directory.CreateDirectory(sub);
        var archive = Path.Combine(sub, "dump.tar");
        var r = await FluxProcess.RunAsync("start", $"-Scontent.dump={archive}", "rmdir", sub);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"content.dump: {archive}:", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("content.dump failed at shutdown", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(archive));
    }

    // The archive's regular files, by path, as text.
    private static async Task<Dictionary<string, string>> ReadArchiveAsync(string path, bool gzip)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(gzip, bytes is [0x1f, 0x8b, ..]);
        Stream input = new MemoryStream(bytes);
        if (gzip)
        {
            input = new GZipStream(input, CompressionMode.Decompress);
        }
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (input)
        {
            var reader = new TarReader(input);
            while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile && entry.DataStream is { } ds)
                {
                    using var ms = new MemoryStream();
                    await ds.CopyToAsync(ms);
                    files[entry.Name] = Encoding.UTF8.GetString(ms.ToArray());
                }
            }
        }
        return files;
    }
}
