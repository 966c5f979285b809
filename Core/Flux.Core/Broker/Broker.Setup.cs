// The broker's start-up steps: rundir, attributes (and the broker.* limits), statedir.
using System.Globalization;
using Flux.Abstractions;

namespace Flux.Core.Broker;

public sealed partial class Broker
{
    // A start-up step on the file system: its failure names what it was for, the path and the
    // system's reason (a read-only or full statedir), instead of escaping as an IOException.
    private static void FileSystemStep(string what, Action step)
    {
        try
        {
            step();
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new FluxException(Errno.EACCES, $"{what}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new FluxException(Errno.EIO, $"{what}: {ex.Message}", ex);
        }
    }


    private void SetupStatedir()
    {
        if (Attributes.Get("statedir")?.Value is not { Length: > 0 } statedir)
        {
            return;
        }
        Directory.CreateDirectory(statedir);
        var startLog = new StartLog(statedir);
        var crashed = startLog.RecordStart(Attributes.Get("version")?.Value ?? "0");
        _startLog = startLog;
        if (crashed)
        {
            const string reason = "the previous instance on this statedir did not shut down cleanly";
            Attributes.Set("broker.safe-mode", reason, BrokerAttributes.Immutable);
            BrokerLog.SafeMode(_log, reason);
        }
    }


    private void SetupRundir()
    {
        if (_options.Attributes.TryGetValue("rundir", out var rd))
        {
            Directory.CreateDirectory(rd);
            Rundir = Path.GetFullPath(rd);
        }
        else
        {
            Rundir = TempRundir.Create();
            _ownsRundir = true;
        }
        // Others must reach the socket so that the broker, not the file system, tells them why
        // they are refused.
        File.SetUnixFileMode(Rundir, (UnixFileMode)0b111_101_101);
        LocalUri = "local://" + Path.Combine(Rundir, "local-0");
    }

    private void SetupAttributes()
    {
        const int I = BrokerAttributes.Immutable;
        var inv = CultureInfo.InvariantCulture;
        Attributes.Set("rank", "0", I);
        Attributes.Set("size", Size.ToString(inv), I);
        Attributes.Set("rundir", Rundir, I);
        Attributes.Set("local-uri", _options.Listen ? LocalUri : null, I);
        Attributes.Set("broker.pid", Environment.ProcessId.ToString(inv), I);
        Attributes.Set("broker.starttime", (StartTime.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", inv), I);
        Attributes.Set("version", typeof(Broker).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", I);
        Attributes.Set("instance-level", Environment.GetEnvironmentVariable("FLUX_URI") is null ? "0" : "1", I);
        Attributes.Set("instance-owner", OwnerUid.ToString(inv), I);
        // flux-core's name for the owner (flux uptime and flux exec read it).
        Attributes.Set("security.owner", OwnerUid.ToString(inv), I);
        Attributes.Set("hostlist", Environment.MachineName, I);
        Attributes.Set("content.hash", "sha1", I);
        Attributes.Set("statedir", null, I);
        Attributes.Set("broker.rc1_path", string.Join(",", _options.Rc1Modules ?? DefaultRc1), I);
        Attributes.Set("log-ring-size", Log.Capacity.ToString(inv));
        Attributes.Set("log-stderr-level", Log.StderrLevel.ToString(inv));
        Attributes.Set("log-level", "7");
        Attributes.Set("conf.module_path", BuiltinModuleDir);
        Attributes.OnSet(DumpAttribute, CheckDumpAttribute);
        Attributes.OnSet("log-ring-size", v => Log.Capacity = ParseInt("log-ring-size", v, 1, 1 << 20));
        Attributes.OnSet("log-stderr-level", v => Log.StderrLevel = ParseInt("log-stderr-level", v, -1, 7));
        Limits = new BrokerLimits(DescriptorLimit.Current(1024));
        foreach (var (k, v) in _options.Attributes)
        {
            if (k.StartsWith("broker.", StringComparison.Ordinal) && Attributes.Get(k) is null)
            {
                Limits.Set(k, v);
                continue;
            }
            var existing = Attributes.Get(k);
            if (UnsupportedAttributes.Why(k) is { } unsupported)
            {
                throw new FluxException(Errno.EINVAL, unsupported);
            }
            if (k == RestoreAttribute)
            {
                CheckRestoreAttribute(v);
            }
            if (k == DumpAttribute)
            {
                CheckDumpAttribute(v);
            }
            if (k == "content.hash" && v is not ("sha1" or "sha256"))
            {
                throw new FluxException(Errno.EINVAL, $"content.hash: expected sha1 or sha256, got '{v}'");
            }
            if (k == "rundir" || existing is { Flags: I } && k is not ("statedir" or "content.hash"))
            {
                if (k != "rundir")
                {
                    throw new FluxException(Errno.EINVAL, $"attribute '{k}' cannot be set on the command line");
                }
                continue;
            }
            if (existing is not null && (existing.Value.Flags & I) == 0)
            {
                Attributes.SetFromClient(k, v);
            }
            else
            {
                Attributes.Set(k, v, k is "statedir" or "content.hash" ? I : 0);
            }
        }
        PublishLimits();
    }

    private void PublishLimits()
    {
        foreach (var (k, v) in Limits.Values())
        {
            Attributes.Set(k, v, BrokerAttributes.Immutable);
        }
    }

    private static int ParseInt(string name, string v, int min, int max) =>
        int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FluxException(Errno.EINVAL, $"{name}: expected an integer from {min} to {max}, got '{v}'");
}
