// flux start -Scontent.restore=ARCHIVE as flux-core's rc1: the archive of flux dump is the new instance's
// KVS, its jobs are replayed by the job-manager, and a job that cannot be replayed is set aside with a warning.
using System.Formats.Tar;

namespace Flux.EndToEnd.Tests;

public sealed class ContentRestoreEndToEndTests
{
    private readonly string _dir = TempDirs.Create("flux-e2e-restore-");

    private string ArchivePath(string name) => Path.Combine(_dir, name);

    // An instance with a key, a finished job and a held one, dumped; prints the two job ids.
    private async Task<(string Done, string Held)> DumpAsync(string archive)
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", $"""
            flux kvs put a.b=restored
            done=$(flux submit true) && flux job wait-event $done clean >/dev/null
            held=$(flux submit --urgency=hold true)
            echo $done $held
            flux dump -q {archive}
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        var ids = r.Stdout.Trim().Split(' ');
        Assert.True(ids.Length == 2, r.ToString());
        return (ids[0], ids[1]);
    }

    [Fact]
    public async Task Start_ContentRestore_KeysAndJobsOfTheDumpAreBack()
    {
        var archive = ArchivePath("dump.tar");
        var (done, held) = await DumpAsync(archive);
        var r = await FluxProcess.RunAsync("start", $"-Scontent.restore={archive}", "sh", "-c", """
            flux kvs get a.b
            flux jobs -a -no '{id} {state}' | sort
            flux getattr content.restore
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        var expected = string.Join('\n', new[] { $"{done} INACTIVE", $"{held} SCHED" }.Order(StringComparer.Ordinal));
        Assert.Equal($"restored\n{expected}\n{archive}\n", r.Stdout);
        Assert.DoesNotContain("not replayed", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ContentRestoreOnAStatedir_ReplacesWhatTheStatedirHeld()
    {
        // flux-core truncates the content store before it restores: keys of the statedir's last
        // instance that the archive does not hold are gone.
        var archive = ArchivePath("dump.tar");
        await DumpAsync(archive);
        var statedir = Path.Combine(_dir, "state");
        var first = await FluxProcess.RunAsync("start", $"-Sstatedir={statedir}", "flux", "kvs", "put", "old=1");
        Assert.True(first.ExitCode == 0, first.ToString());
        var r = await FluxProcess.RunAsync("start", $"-Sstatedir={statedir}", $"-Scontent.restore={archive}", "sh", "-c",
            "flux kvs get a.b; flux kvs get old; echo rc=$?");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("restored\nrc=1\n", r.Stdout);
        Assert.Contains("flux-kvs: old: No such file or directory", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ContentRestore_JobWithoutEventlog_NotReplayedAndMovedToLostFound()
    {
        var archive = ArchivePath("dump.tar");
        var (done, held) = await DumpAsync(archive);
        var broken = ArchivePath("noeventlog.tar");
        var brokenKey = await CopyWithoutAsync(archive, broken, "eventlog");
        var r = await FluxProcess.RunAsync("start", $"-Scontent.restore={broken}", "sh", "-c", """
            flux jobs -a -no '{id} {state}'
            echo --
            flux kvs dir -R job-lost+found | sed 's/ .*//'
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        // As restart.c: "job ID not replayed: REASON" at LOG_ERR (so on stderr), the others replayed.
        Assert.Matches($@"job [ƒf]{held[1..]} not replayed: lookup {brokenKey.Replace(".", @"\.", StringComparison.Ordinal)}\.eventlog: No such file or directory", r.Stderr);
        var jobs = r.Stdout[..r.Stdout.IndexOf("--\n", StringComparison.Ordinal)];
        Assert.Equal($"{done} INACTIVE\n", jobs);
        Assert.Contains($"job-lost+found.job.{held}.jobspec", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ContentRestore_JobWithOnlyItsSubmitEvent_IsValidatedAndPendsAgain()
    {
        // flux dump right after flux submit may catch a job's eventlog with its submit event only
        // (NEW): the job-manager takes it up from there.
        var archive = ArchivePath("dump.tar");
        var (_, held) = await DumpAsync(archive);
        var submitOnly = ArchivePath("submitonly.tar");
        await CopyChangingAsync(archive, submitOnly, "eventlog", log => log.AsSpan(0, Array.IndexOf(log, (byte)'\n') + 1).ToArray());
        var r = await FluxProcess.RunAsync("start", $"-Scontent.restore={submitOnly}", "sh", "-c", $$"""
            flux job wait-event -t 60 {{held}} priority >/dev/null
            flux jobs -no '{id} {state}'
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"{held} SCHED\n", r.Stdout);
    }

    [Fact]
    public async Task Start_ContentRestore_BadValues_ClearErrors()
    {
        var missing = await FluxProcess.RunAsync("start", $"-Scontent.restore={ArchivePath("nosuch.tar")}", "true");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains($"content.restore: {ArchivePath("nosuch.tar")}: no such file (expected an archive written by flux dump, or auto)", missing.Stderr, StringComparison.Ordinal);
        var notTar = ArchivePath("not.tar");
        await File.WriteAllTextAsync(notTar, "this is not a tar archive, only text long enough to fill what a tar header reader reads first".PadRight(1024, '!'));
        var bad = await FluxProcess.RunAsync("start", $"-Scontent.restore={notTar}", "true");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains($"content.restore: {notTar}: not a tar archive written by flux dump", bad.Stderr, StringComparison.Ordinal);
    }

    // Copies a flux dump archive with the file NAME of the held job's directory (the archive's
    // second job, in key order) left out; returns that job's KVS key.
    private static Task<string> CopyWithoutAsync(string from, string to, string name) => CopyChangingAsync(from, to, name, _ => null);

    // Copies a flux dump archive with the file NAME of the held job's directory replaced by what
    // change makes of its contents (null: left out); returns that job's KVS key.
    private static async Task<string> CopyChangingAsync(string from, string to, string name, Func<byte[], byte[]?> change)
    {
        var jobDirs = new SortedSet<string>(StringComparer.Ordinal);
        var entries = new List<(TarEntry Entry, byte[] Data)>();
        await using (var input = File.OpenRead(from))
        {
            var reader = new TarReader(input);
            while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
            {
                using var ms = new MemoryStream();
                if (entry.DataStream is { } ds)
                {
                    await ds.CopyToAsync(ms);
                }
                entries.Add((entry, ms.ToArray()));
                var parts = entry.Name.Split('/');
                if (parts is ["job", _, _, _, _, ..])
                {
                    jobDirs.Add(string.Join('.', parts[..5]));
                }
            }
        }
        Assert.Equal(2, jobDirs.Count);
        var victim = jobDirs.Max!;
        var target = victim.Replace('.', '/') + "/" + name;
        await using (var output = File.Create(to))
        {
            var writer = new TarWriter(output, TarEntryFormat.Pax);
            await using (writer)
            {
                foreach (var (entry, original) in entries)
                {
                    var data = entry.Name == target ? change(original) : original;
                    if (data is null)
                    {
                        continue;
                    }
                    var copy = new PaxTarEntry(entry.EntryType, entry.Name) { ModificationTime = entry.ModificationTime, Mode = entry.Mode };
                    if (entry.EntryType == TarEntryType.SymbolicLink)
                    {
                        copy.LinkName = entry.LinkName;
                    }
                    if (data.Length > 0 || entry.EntryType is TarEntryType.RegularFile)
                    {
                        copy.DataStream = new MemoryStream(data);
                    }
                    await writer.WriteEntryAsync(copy);
                }
            }
        }
        return victim;
    }
}
