// The instance's record of starts and stops (flux startlog), and the marker that detects a crash.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Formats;

namespace Flux.Core.Broker;

/// <summary>
/// In the statedir, <c>startlog</c> is an RFC 18 eventlog of <c>start</c> and <c>finish</c> events, and
/// <c>broker.running</c> exists while a broker runs. Finding the marker at start-up means the last
/// broker did not shut down cleanly: the instance then starts in safe mode.
/// </summary>
public sealed class StartLog
{
    private readonly string _log;
    private readonly string _marker;

    /// <summary>Opens the start log of a statedir.</summary>
    public StartLog(string statedir)
    {
        _log = Path.Combine(statedir, "startlog");
        _marker = Path.Combine(statedir, "broker.running");
    }

    /// <summary>Records a start; returns true when the previous run ended without a clean shutdown.</summary>
    public bool RecordStart(string version)
    {
        var crashed = File.Exists(_marker);
        File.WriteAllText(_marker, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Append(new EventlogEntry(Now, "start", new JsonObject { ["version"] = version, ["pid"] = Environment.ProcessId }));
        return crashed;
    }

    /// <summary>Records a clean stop and removes the marker.</summary>
    public void RecordFinish()
    {
        Append(new EventlogEntry(Now, "finish", null));
        File.Delete(_marker);
    }

    /// <summary>The recorded events.</summary>
    public IReadOnlyList<EventlogEntry> Read() => File.Exists(_log) ? Eventlog.Parse(File.ReadAllText(_log)) : [];

    private static double Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private void Append(EventlogEntry e) => File.AppendAllText(_log, e.ToLine());
}
