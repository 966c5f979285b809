// flux-core's job-manager topics acting on many jobs or on job metadata: raiseall, killall, purge-id, memo.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    /// <summary>flux-core's FLUX_USERID_UNKNOWN: "all users" in raiseall/killall (instance owner only).</summary>
    private const uint AllUsers = uint.MaxValue;

    private void RegisterBulk()
    {
        // src/modules/job-manager/raise.c: {dry_run, userid, states, severity, type, note} -> {count, errors}.
        Register("raiseall", OnRaiseAll, FluxRole.User);
        // src/modules/job-manager/kill.c: {dry_run, userid, signum} -> {count, errors}.
        Register("killall", OnKillAll, FluxRole.User);
        // src/modules/job-manager/purge.c: {id, force} -> {count} (flux job purge ID...), owner only.
        Register("purge-id", OnPurgeId);
        // src/modules/job-manager/memo.c: {id, volatile, memo} -> {} (flux job memo).
        Register("memo", OnMemo, FluxRole.User);
    }

    // The jobs a raiseall/killall request selects; EPERM when a guest targets another user.
    private List<Job> SelectForAll(Message msg, uint userid, JobState states, string what)
    {
        if ((msg.RoleMask & FluxRole.Owner) == 0 && userid != msg.UserId)
        {
            throw new FluxException(Errno.EPERM, $"guests can only {what} their own jobs");
        }
        return _jobs.Values
            .Where(j => (j.State & states) != 0 && (userid == AllUsers || j.UserId == userid))
            .OrderBy(j => j.Id)
            .ToList();
    }

    private ValueTask OnRaiseAll(Message msg)
    {
        var req = msg.GetJson();
        var dryRun = Required(req, "dry_run").GetValue<bool>();
        var userid = Required(req, "userid").GetValue<uint>();
        var states = (JobState)Required(req, "states").GetValue<int>();
        var severity = Required(req, "severity").GetValue<int>();
        var type = Required(req, "type").GetValue<string>();
        var note = Required(req, "note").GetValue<string>();
        if ((states & JobState.Inactive) != 0)
        {
            throw new FluxException(Errno.EINVAL, "Exceptions cannot be raised on inactive jobs");
        }
        if (severity is < 0 or > 7)
        {
            throw new FluxException(Errno.EINVAL, "severity must be from 0 to 7");
        }
        if (type.Length == 0 || type.Any(char.IsWhiteSpace))
        {
            throw new FluxException(Errno.EINVAL, "exception type must be a non-empty word");
        }
        var jobs = SelectForAll(msg, userid, states, "raise exceptions on");
        var errors = 0;
        if (!dryRun)
        {
            foreach (var job in jobs)
            {
                if (job.State == JobState.Inactive)
                {
                    errors++; // ended by an earlier exception of this loop
                    continue;
                }
                RaiseException(job, type, severity, note, msg.UserId);
            }
        }
        flux.Respond(msg, new JsonObject { ["count"] = jobs.Count, ["errors"] = errors });
        return ValueTask.CompletedTask;
    }

    private ValueTask OnKillAll(Message msg)
    {
        var req = msg.GetJson();
        var dryRun = Required(req, "dry_run").GetValue<bool>();
        var userid = Required(req, "userid").GetValue<uint>();
        var signum = Required(req, "signum").GetValue<int>();
        if (signum is <= 0 or >= 65)
        {
            throw new FluxException(Errno.EINVAL, $"invalid signal number {signum}");
        }
        var jobs = SelectForAll(msg, userid, JobState.Running, "signal");
        if (!dryRun)
        {
            foreach (var job in jobs)
            {
                flux.Background(flux.PublishAsync("job-kill", new JsonObject { ["id"] = job.Id, ["signum"] = signum }), "job-kill event");
            }
        }
        flux.Respond(msg, new JsonObject { ["count"] = jobs.Count, ["errors"] = 0 });
        return ValueTask.CompletedTask;
    }

    private async ValueTask OnPurgeId(Message msg)
    {
        var req = msg.GetJson();
        var id = Required(req, "id").GetValue<ulong>();
        var force = req["force"] is { } f && (f.GetValueKind() == System.Text.Json.JsonValueKind.True || (f.GetValueKind() == System.Text.Json.JsonValueKind.Number && f.GetValue<int>() != 0));
        // The texts flux-core's tests look for (t2809-job-purge.t: "id not found", "cannot purge active job").
        if (!_jobs.TryGetValue(id, out var job))
        {
            throw new FluxException(Errno.ENOENT, $"{Fluid.Encode(id, FluidEncoding.F58)}: id not found");
        }
        if (job.State != JobState.Inactive)
        {
            throw new FluxException(Errno.EINVAL, $"{Fluid.Encode(id, FluidEncoding.F58)}: cannot purge active job");
        }
        if (force)
        {
            await PurgeAsync([job]).ConfigureAwait(true);
        }
        // flux-core counts the job whether or not it was purged (without force: it would be).
        flux.Respond(msg, new JsonObject { ["count"] = 1 });
    }

    private ValueTask OnMemo(Message msg)
    {
        var req = msg.GetJson();
        var job = Lookup(req, msg, mustOwn: true);
        var isVolatile = req["volatile"]?.GetValue<bool>() ?? false;
        if (req["memo"] is not JsonObject memo)
        {
            throw new FluxException(Errno.EPROTO, "memo must be a JSON object");
        }
        if (job.State == JobState.Inactive)
        {
            throw new FluxException(Errno.EINVAL, "job is inactive");
        }
        // The memo event's context is the memo; job-list merges it into annotations.user (null deletes
        // a key). A volatile memo goes to the journal only, not the KVS eventlog.
        Post(job, "memo", (JsonObject)memo.DeepClone(), persist: !isVolatile);
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }

    private static JsonNode Required(JsonObject req, string key) =>
        req[key] ?? throw new FluxException(Errno.EPROTO, $"request is missing '{key}'");
}
