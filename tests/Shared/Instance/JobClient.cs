// Client-side helpers for the job protocols: submit as flux submit does, wait, and read eventlogs.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Connectors;
using Flux.Core.Connectors;
using Flux.Client.Handle;
using Flux.Formats;

namespace Flux.Tests.Shared;

internal static class JobClient
{
    /// <summary>Submits a jobspec built from a command line to job-ingest, as flux submit does; returns the job id.</summary>
    public static async Task<ulong> SubmitAsync(FluxHandle h, JobspecBuilder b, int urgency = 16, uint? signer = null, int flags = 0)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(b);
        var j = SignedJob.Wrap(b.Build().ToJsonString(), signer ?? PeerCredentials.CurrentUid);
        var resp = await h.RpcAsync("job-ingest.submit", new JsonObject { ["J"] = j, ["urgency"] = urgency, ["flags"] = flags });
        return resp!["id"]!.GetValue<ulong>();
    }

    /// <summary>A one-task <c>true</c> job; testexec (job-exec's test mode) pretends it runs for <paramref name="runSeconds"/>.</summary>
    public static JobspecBuilder Job(double runSeconds = 0) =>
        new JobspecBuilder(["true"]).SetAttr("system.exec.test.run_duration", runSeconds);

    /// <summary>job-manager.wait for one job: its {id, success, errstr, status}.</summary>
    public static async Task<JsonObject> WaitAsync(FluxHandle h, ulong id)
    {
        ArgumentNullException.ThrowIfNull(h);
        return (await Await.Within(h.RpcAsync("job-manager.wait", new JsonObject { ["id"] = id }), $"job-manager.wait for job {id}"))!;
    }

    /// <summary>The names of the events in a job's eventlog in the KVS (RFC 18), in order.</summary>
    public static async Task<List<string>> EventNamesAsync(FluxHandle h, ulong id)
    {
        var log = await h.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".eventlog");
        return [.. Eventlog.Parse(log!).Select(e => e.Name)];
    }

    /// <summary>Follows the job-manager journal until job <paramref name="id"/> has posted the event <paramref name="name"/>.</summary>
    public static async Task WaitForEventAsync(FluxHandle h, ulong id, string name)
    {
        ArgumentNullException.ThrowIfNull(h);
        using var cts = new CancellationTokenSource(Await.Limit);
        try
        {
            await foreach (var m in h.StreamAsync(Message.Request("job-manager.events-journal", new JsonObject()), cts.Token))
            {
                var o = m.GetJson();
                if (o["id"]!.GetValue<long>() == (long)id && o["events"]!.AsArray().Any(e => e!["name"]!.GetValue<string>() == name))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"timed out after {Await.Limit.TotalSeconds}s waiting for job {id}'s {name} event in the job-manager journal");
        }
        throw new InvalidOperationException($"the job-manager journal ended before job {id} posted {name}");
    }
}
