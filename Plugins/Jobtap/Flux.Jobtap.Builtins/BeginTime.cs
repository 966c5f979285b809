// .begin-time: the RFC 26 begin-time scheme holds a job in DEPEND until a time (a float epoch).
using System.Globalization;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".begin-time", PluginKind.Jobtap)]
public sealed class BeginTime(IJobtap jobtap, IFlux flux, TimeProvider? time = null) : IFluxPlugin
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("job.dependency.begin-time", OnDependency);
    }

    private bool OnDependency(string topic, PluginArgs args)
    {
        var value = args.In["dependency"]?["value"];
        if (value is null || !double.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var at))
        {
            return args.Error("begin-time: value must be a number of seconds since the epoch");
        }
        var wait = TimeSpan.FromSeconds(at) - (_time.GetUtcNow() - DateTimeOffset.UnixEpoch);
        if (wait <= TimeSpan.Zero)
        {
            return true;
        }
        var id = args.In["id"]!.GetValue<ulong>();
        var description = "begin-time=" + at.ToString("F3", CultureInfo.InvariantCulture);
        jobtap.AddDependency(IJobtap.CurrentJob, description);
        flux.Background(ReleaseAsync(id, description, at), "begin-time timer");
        return true;
    }

    private async Task ReleaseAsync(ulong id, string description, double at)
    {
        // Resumes on job-manager's loop, where plugin calls belong. A timer may fire a little
        // before its time (clock granularity) and a begin time may be past a .NET timer's range:
        // wait again until the clock has reached it.
        double left;
        while ((left = at - (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds) > 0)
        {
            await LongTimer.DelayAsync(left + 0.001, _time).ConfigureAwait(true);
        }
        try
        {
            jobtap.RemoveDependency(id, description);
        }
        catch (FluxException ex) when (ex.Errnum is Errno.ENOENT or Errno.EINVAL)
        {
            // The job was canceled or purged before its time came.
        }
    }
}
