// The scheduler view of resources (sched.resource-status, RFC 27): all, down, allocated, and derived up and free.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Formats;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

/// <summary>The scheduler view (sched.resource-status): all, down, allocated, and derived up and free.</summary>
internal sealed class ResourceSchedView
{
    public ResourceSchedView(JsonObject status)
    {
        All = ResourceViews.ParseR(status["all"]);
        Down = ResourceViews.ParseR(status["down"]);
        Allocated = ResourceViews.ParseR(status["allocated"]);
    }

    public Rv1 All { get; private set; }

    public Rv1 Down { get; private set; }

    public Rv1 Allocated { get; private set; }

    public Rv1 Up => All.Subtract(Down);

    public Rv1 Free => Up.Subtract(Allocated);

    public Rv1 this[string state] => state switch
    {
        "all" => All,
        "down" => Down,
        "allocated" => Allocated,
        "up" => Up,
        _ => Free,
    };

    public void Filter(IdSet ranks)
    {
        All = All.CopyRanks(ranks);
        Down = Down.CopyRanks(ranks);
        Allocated = Allocated.CopyRanks(ranks);
    }
}
