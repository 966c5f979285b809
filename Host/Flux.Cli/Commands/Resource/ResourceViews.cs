// Fetching and filtering the scheduler (RFC 27) and resource service (RFC 28) views of R, shared by the flux resource commands.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

/// <summary>Fetching the two views of resources, filtered by <c>--queue</c> and <c>--include</c>.</summary>
internal static class ResourceViews
{
    /// <summary>
    /// The union of those states of the scheduler view after <c>--queue</c> and <c>--include</c>:
    /// what flux resource info counts and flux resource R prints.
    /// </summary>
    public static async Task<Rv1> SchedSelectionAsync(FluxHandle h, ParsedArgs args, IReadOnlyList<string> states, CancellationToken ct)
    {
        var (view, _) = await SchedViewAsync(h, args, ct).ConfigureAwait(false);
        return states.Select(s => view[s]).Aggregate(Rv1.Empty, (a, b) => a.Union(b));
    }

    public static async Task<(ResourceSchedView View, ResourceQueues Queues)> SchedViewAsync(FluxHandle h, ParsedArgs args, CancellationToken ct)
    {
        var statusTask = h.RpcAsync("sched.resource-status", null, NodeId.Any, ct);
        var configTask = h.RpcAsync("config.get", null, NodeId.Any, ct);
        var view = await SchedStatusAsync(statusTask).ConfigureAwait(false);
        JsonObject? config = null;
        try
        {
            config = (await configTask.ConfigureAwait(false))?["config"] as JsonObject;
        }
        catch (FluxException ex)
        {
            await Console.Error.WriteLineAsync($"flux-resource: WARNING: Could not get flux config: {ex.Message}").ConfigureAwait(false);
        }
        var queues = ResourceQueues.From(config);
        if (ResourceOptions.Queues(args) is { Count: > 0 } names)
        {
            view.Filter(queues.RanksOf(view.All, names));
        }
        if (args.Get("include") is { } include)
        {
            view.Filter(Include(view.All, include));
        }
        return (view, queues);
    }

    /// <summary>The scheduler view from a sched.resource-status request already sent; no scheduler loaded is said as such.</summary>
    public static async Task<ResourceSchedView> SchedStatusAsync(Task<JsonObject?> request)
    {
        try
        {
            return new ResourceSchedView(await request.ConfigureAwait(false) ?? []);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            throw new FluxException(Errno.ENOSYS, "the scheduler is not loaded (sched.resource-status: Function not implemented)");
        }
    }

    // --include: ranks (idset) or hosts (hostlist); names that do not exist are not an error.
    public static IdSet Include(Rv1 all, string targets)
    {
        if (IdSet.TryParse(targets, out var ids))
        {
            return ids;
        }
        if (Hostlist.TryParse(targets, out var hosts))
        {
            return new IdSet(all.Nodes.Where(n => n.Hostname is not null && hosts.Contains(n.Hostname)).Select(n => n.Rank));
        }
        throw new FluxException(Errno.EINVAL, $"--include: invalid targets '{targets}': expected an idset or a hostlist");
    }

    public static Rv1 ParseR(JsonNode? node) => node is JsonObject o ? Rv1.Parse(o) : Rv1.Empty;
}
