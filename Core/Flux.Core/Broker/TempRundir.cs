// A broker's private rundir (flux-XXXXXX in the temp folder), marked so a later broker can remove it
// when its broker died without cleaning up.
using System.Globalization;

namespace Flux.Core.Broker;

/// <summary>
/// <c>flux start</c> replaces itself with the broker, so when the broker dies by kill -9 no process
/// is left to remove its rundir. Each private rundir therefore holds a marker naming its broker
/// (uid, pid and the pid's start time, so a reused pid is not mistaken for it); the next broker
/// started by the same user removes the rundirs whose broker is gone.
/// </summary>
internal static class TempRundir
{
    private const string Prefix = "flux-";
    private const string Marker = ".broker";

    /// <summary>Creates a private rundir and marks it as this process's.</summary>
    public static string Create()
    {
        var dir = Directory.CreateTempSubdirectory(Prefix).FullName;
        File.WriteAllText(Path.Combine(dir, Marker), Identity(Environment.ProcessId) ?? string.Empty);
        return dir;
    }

    /// <summary>Removes the marked rundirs of this user's brokers that are no longer running; returns them.</summary>
    public static IReadOnlyList<string> RemoveStale()
    {
        var removed = new List<string>();
        var uid = Flux.Client.Connectors.PeerCredentials.CurrentUid.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            string mark;
            try
            {
                mark = File.ReadAllText(Path.Combine(dir, Marker));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var words = mark.Split(' ');
            if (words.Length != 3 || words[0] != uid || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            if (Identity(pid) == mark)
            {
                continue;
            }
            try
            {
                Directory.Delete(dir, recursive: true);
                removed.Add(dir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another broker is removing it, or a file in it is not ours: leave it.
            }
        }
        return removed;
    }

    // "UID PID STARTTIME" of a live process, or null when it is gone (or /proc is not there).
    private static string? Identity(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // Field 22 is the start time; the command name (field 2) may hold spaces, so count after ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var uid = Flux.Client.Connectors.PeerCredentials.CurrentUid;
        return fields.Length > 19 ? string.Create(CultureInfo.InvariantCulture, $"{uid} {pid} {fields[19]}") : null;
    }
}
