// content.dump: the KVS written to a flux dump archive at shutdown, as flux-core's rc3 (etc/modprobe/rc3.py) does.
using System.Globalization;
using Flux.Abstractions;
using Flux.Client.Kvs;

namespace Flux.Core.Broker;

public sealed partial class Broker
{
    private const string DumpAttribute = "content.dump";

    // What content.dump=auto writes, and content.restore=auto reads: statedir/dump/DATE.tgz and a
    // symbolic link statedir/dump/RESTORE to it (flux-core's rc3 content-dump and rc1 check-restore tasks).
    private const string DumpDirName = "dump";
    private const string RestoreLinkName = "RESTORE";

    /// <summary>Whether the shutdown dump <c>content.dump</c> asked for failed (the broker then exits 1).</summary>
    public bool ContentDumpFailed { get; private set; }

    /// <summary>
    /// Checks <c>content.dump</c> when it is set (on the command line or by <c>flux setattr</c>):
    /// <c>auto</c>, or a file in a directory that exists, with an extension the archive writer knows,
    /// so that a typo is found at once rather than at shutdown, when the KVS is about to go away.
    /// </summary>
    private static void CheckDumpAttribute(string value)
    {
        if (value.Length == 0)
        {
            throw new FluxException(Errno.EINVAL, $"{DumpAttribute}: expected a file for the flux dump archive, or auto, got an empty value");
        }
        if (value == "auto")
        {
            return;
        }
        KvsArchive.CheckFileName(value);
        var dir = Path.GetDirectoryName(Path.GetFullPath(value));
        if (dir is not null && !Directory.Exists(dir))
        {
            throw new FluxException(Errno.ENOENT, $"{DumpAttribute}: {value}: directory {dir} does not exist (expected a file for the flux dump archive, or auto)");
        }
        if (Directory.Exists(value))
        {
            throw new FluxException(Errno.EISDIR, $"{DumpAttribute}: {value}: is a directory (expected a file for the flux dump archive, or auto)");
        }
    }

    // flux-core's rc1 and rc3: the statedir when one was given (statedir-cleanup is 0), else the
    // broker's working directory.
    private string DumpDir() =>
        Path.Combine(Attributes.Get("statedir")?.Value is { Length: > 0 } statedir ? statedir : Directory.GetCurrentDirectory(), DumpDirName);

    /// <summary>
    /// At shutdown, after every module loaded after the kvs module is removed (so the job-manager's
    /// last writes are in) and before the kvs module goes, writes the KVS to the archive
    /// <c>content.dump</c> names, with the code of <c>flux dump</c>. <c>auto</c> writes
    /// <c>DIR/dump/YYYYMMDD_HHMMSS.tgz</c> (local time) and points <c>DIR/dump/RESTORE</c> at it, which
    /// <c>content.restore=auto</c> restores at the next start. The archive is written beside its
    /// name and renamed into place when complete, so a failed dump never replaces a good one.
    /// A failure is logged and makes the broker exit 1; it does not stop the shutdown.
    /// </summary>
    private async Task DumpContentAsync()
    {
        if (!_started || Attributes.Get(DumpAttribute)?.Value is not { Length: > 0 } value)
        {
            return;
        }
        var file = value;
        string? link = null;
        var tmp = string.Empty;
        try
        {
            if (value == "auto")
            {
                var dir = DumpDir();
                Directory.CreateDirectory(dir);
                file = Path.Combine(dir, DateTime.Now.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture) + ".tgz");
                link = Path.Combine(dir, RestoreLinkName);
            }
            BrokerLog.DumpingContent(_log, file);
            tmp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, $".{Path.GetFileName(file)}.{Environment.ProcessId}.tmp");
            int count;
            var stream = KvsArchive.CreateFile(tmp, compress: KvsArchive.IsGzipName(file));
            await using (stream.ConfigureAwait(false))
            {
                count = await KvsArchive.DumpAsync(_self!, stream, null, null, CancellationToken.None).ConfigureAwait(false);
            }
            File.Move(tmp, file, overwrite: true);
            if (link is not null)
            {
                // flux-core's rc3 links RESTORE to the new archive (a link left by a dump that was
                // never restored is replaced: the newest dump is the one to restore).
                File.Delete(link);
                File.CreateSymbolicLink(link, Path.GetFileName(file));
            }
            BrokerLog.DumpedContent(_log, count, file);
        }
        catch (Exception ex) when (ex is FluxException or IOException or UnauthorizedAccessException)
        {
            ContentDumpFailed = true;
            BrokerLog.ContentDumpFailed(_log, file, ex.Message);
            if (tmp.Length > 0)
            {
                TryDelete(tmp);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left beside the archive's name, with the process id in its name.
        }
    }
}
