// [exec] job-shell: job-exec runs another shell executable (flux-shell JOBID, or flux-core's) as the
// job's shell, and only starts it, signals it, logs what it prints and takes its exit code.
using System.Globalization;
using Flux.Abstractions;

namespace Flux.Shell;

public sealed partial class JobShell
{
    /// <summary>
    /// <c>[exec] job-shell</c>: runs another shell executable as <c>SHELL JOBID</c> with FLUX_URI,
    /// FLUX_JOB_ID and FLUX_KVS_NAMESPACE set, in the job's directory, as flux-core's job-exec does. That
    /// shell is the job's shell (<c>flux-shell JOBID</c>, or flux-core's): it posts the shell events and
    /// writes the job's output itself, so this one does neither; what the shell prints goes to the
    /// broker's log, and its exit code is the job's. Signals (<see cref="Kill"/>) go to its process group.
    /// </summary>
    public async Task<int> RunExternalAsync(string shellPath, Action onStarted)
    {
        var env = new Dictionary<string, string>(_info.Environment, StringComparer.Ordinal)
        {
            ["FLUX_URI"] = _fluxUri,
            ["FLUX_JOB_ID"] = _info.Id.ToString(CultureInfo.InvariantCulture),
            ["FLUX_KVS_NAMESPACE"] = _ns,
        };
        ShellTask task;
        try
        {
            task = ShellTask.Start(0, [shellPath, _info.Id.ToString(CultureInfo.InvariantCulture)], env, Directory.Exists(_info.Cwd) ? _info.Cwd : "/tmp", null, false);
        }
        catch (FluxException ex)
        {
            throw new FluxException(ex.Errnum, $"[exec] job-shell {shellPath}: {ex.Message}", ex);
        }
        _tasks.Add(task);
        task.CloseStdin();
        foreach (var (stream, source) in new[] { ("stdout", task.Stdout), ("stderr", task.Stderr!) })
        {
            _flux.Background(LogLinesAsync(task, stream, source, shellPath), $"job {_info.Id}: reading the job shell's {stream}", onFault: _ => task.StreamClosed());
        }
        onStarted();
        return await task.CompletedAsync().ConfigureAwait(true);
    }

    /// <summary>An external shell's output, line by line, to the broker's log (flux-core's job-exec logs it the same way).</summary>
    private async Task LogLinesAsync(ShellTask task, string stream, Stream source, string shellPath)
    {
        try
        {
            using var reader = new StreamReader(source, leaveOpen: true);
            while (await reader.ReadLineAsync().ConfigureAwait(true) is { } line)
            {
                ShellLog.ExternalShellOutput(_log, _info.Id, shellPath, stream, line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The shell's end of the stream went away with it.
        }
        finally
        {
            task.StreamClosed();
        }
    }
}
