// resource.sched-status: the scheduler's view of resources computed by the resource module, as flux-core's status.c.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.Resource;

public sealed partial class ResourceModule
{
    /// <summary>
    /// src/modules/resource/status.c sched_status_cb: <c>{all, down, allocated}</c>, each an R object,
    /// as sched.resource-status answers it. <c>all</c> is R without its scheduling key and without the
    /// excluded ranks; <c>down</c> the ranks of <c>all</c> that are offline (none: one broker) or
    /// drained; <c>allocated</c> the job-manager's allocated set (job-manager.resource-status) with the
    /// properties of <c>all</c>, the empty set when the job-manager does not answer it (ENOSYS), as
    /// flux-core. Flux.NET's job-manager has no resource-status, so its ENOSYS is followed by the
    /// scheduler's own allocated set (sched.resource-status), and the empty set only when neither answers.
    /// </summary>
    private async ValueTask OnSchedStatus(Message msg)
    {
        var allocated = await AllocatedAsync().ConfigureAwait(true);
        var json = _inventory.R.ToJson();
        json.Remove("scheduling");
        var r = Rv1.Parse(json);
        var all = r.CopyRanks(r.Ranks.Subtract(_inventory.Exclude));
        var down = all.CopyRanks(_drain.Ranks.Intersect(all.Ranks));
        flux.Respond(msg, new JsonObject
        {
            ["all"] = SetJson(all),
            ["down"] = SetJson(down),
            ["allocated"] = SetJson(allocated is null ? Rv1.Empty : all.Intersect(allocated)),
        });
    }

    // An empty set as flux-core's rlist_to_R writes it (resource-status.trace): a nodelist of one empty string.
    private static JsonObject SetJson(Rv1 r) => r.NodeCount > 0 ? r.ToJson() : new JsonObject
    {
        ["version"] = 1,
        ["execution"] = new JsonObject
        {
            ["R_lite"] = new JsonArray(),
            ["starttime"] = 0.0,
            ["expiration"] = 0.0,
            ["nodelist"] = new JsonArray(""),
        },
    };

    private async Task<Rv1?> AllocatedAsync()
    {
        // flux-core: the resource module may load before the job-manager; its ENOSYS is the empty set.
        foreach (var topic in (string[])["job-manager.resource-status", "sched.resource-status"])
        {
            JsonObject? response;
            try
            {
                response = await flux.RpcAsync(topic).ConfigureAwait(true);
            }
            catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
            {
                continue;
            }
            catch (FluxException ex)
            {
                throw new FluxException(Errno.EINVAL, $"{topic} request failed: {ex.Message}");
            }
            return Allocated(response, topic);
        }
        return null;
    }

    private static Rv1 Allocated(JsonObject? response, string topic) => response?["allocated"] switch
    {
        null => throw new FluxException(Errno.EINVAL, $"{topic} request failed: the response has no 'allocated' object"),
        JsonObject o => Rv1.Parse(o),
        _ => throw new FluxException(Errno.EINVAL, $"{topic} request failed: 'allocated' is not an R object"),
    };
}
