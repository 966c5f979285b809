// content.restore: the archive of a 'flux dump' put into the KVS at start, as flux-core's rc1 does, before the job-manager replays jobs from it.
using Flux.Abstractions;
using Flux.Client.Kvs;

namespace Flux.Core.Broker;

public sealed partial class Broker
{
    private const string RestoreAttribute = "content.restore";


    /// <summary>
    /// Checks <c>content.restore</c> when it is set: <c>auto</c>, or an archive file that exists
    /// (flux-core's rc1 skips a missing file without a word; a typo in a path should not start an empty instance).
    /// </summary>
    private static void CheckRestoreAttribute(string value)
    {
        if (value.Length == 0)
        {
            throw new FluxException(Errno.EINVAL, $"{RestoreAttribute}: expected an archive written by flux dump, or auto, got an empty value");
        }
        if (value != "auto" && !File.Exists(value))
        {
            throw new FluxException(Errno.ENOENT, $"{RestoreAttribute}: {value}: no such file (expected an archive written by flux dump, or auto)");
        }
    }

    /// <summary>
    /// Once the kvs module is loaded and before the modules that read the KVS at load (resource,
    /// job-manager), replaces the KVS contents with the archive <c>content.restore</c> names, as
    /// flux-core's rc1 runs <c>flux restore</c> on a truncated content store; <see cref="KvsArchive"/>
    /// is the code behind <c>flux restore</c>. A failure stops the start with the archive's name and the reason.
    /// </summary>
    private async Task RestoreContentAsync(CancellationToken ct)
    {
        if (Attributes.Get(RestoreAttribute)?.Value is not { } value || ArchiveToRestore(value) is not { } file)
        {
            return;
        }
        BrokerLog.RestoringContent(_log, file);
        int count;
        try
        {
            var stream = File.OpenRead(file);
            await using (stream.ConfigureAwait(false))
            {
                count = await KvsArchive.RestoreAsync(_self!, stream, null, replace: true, null, ct).ConfigureAwait(false);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new FluxException(Errno.EINVAL, $"{RestoreAttribute}: {file}: not a tar archive written by flux dump: {ex.Message}", ex);
        }
        catch (FluxException ex)
        {
            throw new FluxException(ex.Errnum, $"{RestoreAttribute}: {file}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FluxException(Errno.EIO, $"{RestoreAttribute}: {file}: {ex.Message}", ex);
        }
        BrokerLog.RestoredContent(_log, count, file);
        if (value == "auto")
        {
            File.Delete(AutoLinkPath()!);
        }
    }

    private string? ArchiveToRestore(string value)
    {
        if (value != "auto")
        {
            return value;
        }
        return AutoLinkPath() is { } link && new FileInfo(link) is { LinkTarget: not null } info && info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true } target
            ? target.FullName
            : null;
    }

    // Where content.restore=auto finds the archive: the symbolic link DIR/dump/RESTORE that
    // content.dump=auto made (flux-core's rc1 check-restore task), removed once restored.
    private string? AutoLinkPath() => Path.Combine(DumpDir(), RestoreLinkName);
}
