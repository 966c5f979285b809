// An execution service for tests (RFC 32): holds each job's start request and answers it when the test says.
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.JobManager.Tests;

internal sealed class ScriptedExec
{
    public const string Service = "scripted-exec";

    private readonly FluxHandle _h;
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<Message>> _starts = new();

    private ScriptedExec(FluxHandle h)
    {
        _h = h;
    }

    /// <summary>Registers the service and says exec-hello to the job manager, as job-exec does at load.</summary>
    public static async Task<ScriptedExec> StartAsync(FluxHandle h)
    {
        var e = new ScriptedExec(h);
        h.RegisterHandler(MessageType.Request, Service + ".start", m =>
        {
            e.Slot(m.GetJson()["id"]!.GetValue<ulong>()).TrySetResult(m);
            return ValueTask.CompletedTask;
        });
        await h.AddServiceAsync(Service);
        await h.RpcAsync("job-manager.exec-hello", new JsonObject { ["service"] = Service });
        return e;
    }

    /// <summary>The job's start request, once the job manager has sent it.</summary>
    public Task<Message> StartRequestedAsync(ulong id) => Await.Within(Slot(id).Task, $"{Service}.start for job {id}");

    /// <summary>Whether the job manager has asked to start the job.</summary>
    public bool WasAsked(ulong id) => _starts.TryGetValue(id, out var s) && s.Task.IsCompleted;

    /// <summary>Tells the job manager the job's tasks started.</summary>
    public async Task StartedAsync(ulong id) => Send(await StartRequestedAsync(id), "start", new JsonObject());

    /// <summary>Tells the job manager the tasks finished with a wait status (exit code N is N &lt;&lt; 8).</summary>
    public async Task FinishedAsync(ulong id, int status) => Send(await StartRequestedAsync(id), "finish", new JsonObject { ["status"] = status });

    /// <summary>Releases all the job's resources and ends the start request.</summary>
    public async Task ReleasedAsync(ulong id)
    {
        var m = await StartRequestedAsync(id);
        Send(m, "release", new JsonObject { ["ranks"] = "all", ["final"] = true });
        _h.RespondError(m, Errno.ENODATA);
    }

    private void Send(Message start, string type, JsonObject data) =>
        _h.Respond(start, new JsonObject { ["id"] = start.GetJson()["id"]!.GetValue<ulong>(), ["type"] = type, ["data"] = data });

    private TaskCompletionSource<Message> Slot(ulong id) =>
        _starts.GetOrAdd(id, _ => new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously));
}
