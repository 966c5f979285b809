// The broker's log ring buffer (flux dmesg), with followers for `dmesg -f`.
using Flux.Formats;

namespace Flux.Core.Broker;

/// <summary>One log record.</summary>
/// <param name="Seq">Sequence number, from 1.</param>
/// <param name="Timestamp">Seconds since the Unix epoch.</param>
/// <param name="Level">Syslog severity 0-7.</param>
/// <param name="Name">Component (module) name.</param>
/// <param name="Rank">Broker rank.</param>
/// <param name="Text">The message.</param>
public sealed record LogEntry(long Seq, double Timestamp, int Level, string Name, uint Rank, string Text)
{
    /// <summary>
    /// The entry as flux-core's <c>log.dmesg</c> answers: RFC 5424 text, NUL-terminated as RFC 6
    /// string payloads are.
    /// </summary>
    public byte[] ToDmesgPayload()
    {
        var text = new StdlogRecord(Level, Timestamp, Rank.ToString(System.Globalization.CultureInfo.InvariantCulture), Name,
            Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), Text).Encode();
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}

/// <summary>A bounded ring of log entries; the oldest drop out when it is full.</summary>
public sealed class LogRing
{
    private readonly Lock _lock = new();
    private readonly Queue<LogEntry> _entries = new();
    private readonly List<Action<LogEntry>> _followers = [];
    private long _seq;

    /// <summary>Creates a ring holding at most <paramref name="capacity"/> entries.</summary>
    public LogRing(int capacity)
    {
        Capacity = capacity;
    }

    /// <summary>Maximum entries kept.</summary>
    public int Capacity { get; set; }

    /// <summary>Entries at or below this severity are also written to stderr.</summary>
    public int StderrLevel { get; set; } = 3;

    /// <summary>Appends an entry and tells followers.</summary>
    public void Append(int level, string name, uint rank, string text)
    {
        LogEntry e;
        Action<LogEntry>[] followers;
        lock (_lock)
        {
            e = new LogEntry(++_seq, EventlogEntry.Now(), level, name, rank, text);
            _entries.Enqueue(e);
            while (_entries.Count > Capacity)
            {
                _entries.Dequeue();
            }
            followers = [.. _followers];
        }
        if (level <= StderrLevel)
        {
            Console.Error.WriteLine($"{name}.{SyslogLevel.Name(level)}[{rank}]: {text}");
        }
        foreach (var f in followers)
        {
            f(e);
        }
    }

    /// <summary>A snapshot of the entries; optionally registers a follower atomically with it.</summary>
    public IReadOnlyList<LogEntry> Snapshot(Action<LogEntry>? follow = null)
    {
        lock (_lock)
        {
            if (follow is not null)
            {
                _followers.Add(follow);
            }
            return [.. _entries];
        }
    }

    /// <summary>Stops a follower.</summary>
    public void Unfollow(Action<LogEntry> follow)
    {
        lock (_lock)
        {
            _followers.Remove(follow);
        }
    }

    /// <summary>Empties the ring.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }
}
