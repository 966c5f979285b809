// One RFC 27 sched.alloc as the job manager sends it: a streaming request whose responses are collected.
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Resource.Tests;

internal sealed class AllocStream
{
    private readonly Channel<JsonObject> _responses = Channel.CreateUnbounded<JsonObject>();
    private readonly IAsyncEnumerator<Message> _stream;

    private AllocStream(ulong id, IAsyncEnumerator<Message> stream)
    {
        Id = id;
        _stream = stream;
    }

    public ulong Id { get; }

    /// <summary>Completes when the stream has ended with ENODATA (faults on any other error).</summary>
    public Task Ended { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Sends the request before returning (so that requests sent one after another from one handle
    /// reach the scheduler in that order), then collects responses in the background.
    /// </summary>
    public static AllocStream Start(IFlux h, ulong id, JsonObject jobspec, uint priority = 16)
    {
        var req = Message.Request("sched.alloc", new JsonObject
        {
            ["id"] = id,
            ["priority"] = priority,
            ["userid"] = 1000,
            ["t_submit"] = 1.0,
            ["jobspec"] = jobspec,
        });
        var alloc = new AllocStream(id, h.StreamAsync(req).GetAsyncEnumerator());
        var first = alloc._stream.MoveNextAsync();
        alloc.Ended = alloc.PumpAsync(first);
        return alloc;
    }

    /// <summary>The next response (ANNOTATE or final).</summary>
    public Task<JsonObject> NextAsync(string what) => Await.Within(_responses.Reader.ReadAsync().AsTask(), $"{what} (job {Id})");

    /// <summary>Skips annotations; returns the final response after checking that the stream then ended.</summary>
    public async Task<JsonObject> FinalAsync(string what)
    {
        while (true)
        {
            var r = await NextAsync(what);
            if (r["type"]!.GetValue<int>() != 1)
            {
                await Await.Within(Ended, $"end of the alloc stream of job {Id}");
                return r;
            }
        }
    }

    /// <summary>Waits for SUCCESS and returns the allocation summary (e.g. rank0/core[0-1]).</summary>
    public async Task<string> SuccessAsync(string what)
    {
        var r = await FinalAsync(what);
        Assert.True(r["type"]!.GetValue<int>() == 0, $"{what}: expected SUCCESS, got {r.ToJsonString()}");
        Assert.Equal(Id, r["id"]!.GetValue<ulong>());
        return r["annotations"]!["sched"]!["resource_summary"]!.GetValue<string>();
    }

    /// <summary>Whether a final response has arrived.</summary>
    public bool IsFinished => Ended.IsCompleted;

    /// <summary>A version 1 jobspec (RFC 25) for the given resource vertex.</summary>
    public static JsonObject Jobspec(JsonObject resource, double duration = 0, JsonObject? constraints = null)
    {
        var system = new JsonObject { ["duration"] = duration };
        if (constraints is not null)
        {
            system["constraints"] = constraints;
        }
        return new JsonObject
        {
            ["version"] = 1,
            ["resources"] = new JsonArray(resource),
            ["tasks"] = new JsonArray(new JsonObject
            {
                ["command"] = new JsonArray("true"),
                ["slot"] = "task",
                ["count"] = new JsonObject { ["per_slot"] = 1 },
            }),
            ["attributes"] = new JsonObject { ["system"] = system },
        };
    }

    /// <summary>slot[count]{core[cores], gpu[gpus]}.</summary>
    public static JsonObject Slots(int count, int cores = 1, int gpus = 0, bool exclusive = false)
    {
        var with = new JsonArray(new JsonObject { ["type"] = "core", ["count"] = cores });
        if (gpus > 0)
        {
            with.Add(new JsonObject { ["type"] = "gpu", ["count"] = gpus });
        }
        var slot = new JsonObject { ["type"] = "slot", ["count"] = count, ["label"] = "task", ["with"] = with };
        if (exclusive)
        {
            slot["exclusive"] = true;
        }
        return slot;
    }

    /// <summary>node[count]{slot[slots]{core[cores], gpu[gpus]}}.</summary>
    public static JsonObject Nodes(int count, int slots = 1, int cores = 1, int gpus = 0, bool exclusive = false)
    {
        var node = new JsonObject { ["type"] = "node", ["count"] = count, ["with"] = new JsonArray(Slots(slots, cores, gpus)) };
        if (exclusive)
        {
            node["exclusive"] = true;
        }
        return node;
    }

    private async Task PumpAsync(ValueTask<bool> first)
    {
        try
        {
            if (!await first)
            {
                return;
            }
            _responses.Writer.TryWrite(_stream.Current.GetJson());
            while (await _stream.MoveNextAsync())
            {
                _responses.Writer.TryWrite(_stream.Current.GetJson());
            }
        }
        finally
        {
            _responses.Writer.TryComplete();
            await _stream.DisposeAsync();
        }
    }

    public override string ToString() => Fluid.Encode(Id, FluidEncoding.F58);
}
