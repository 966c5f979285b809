// Work job-manager and job-ingest run in the background fails on a malformed answer: the job gets an
// exception, the submitter an error, instead of either hanging.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Jobs.Tests;

public sealed class BackgroundFaultTests
{
    [Fact]
    public async Task Exec_ServiceAnswersMalformedFinish_JobGetsExecExceptionAndEnds()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        // An execution service whose finish response has a status that is not a number: reading it
        // throws InvalidOperationException in job-manager's exec task, not an RFC 6 error.
        h.RegisterHandler(MessageType.Request, "badexec.start", m =>
        {
            h.Respond(m, new JsonObject { ["type"] = "start" });
            h.Respond(m, new JsonObject { ["type"] = "finish", ["data"] = new JsonObject { ["status"] = "garbage" } });
            return ValueTask.CompletedTask;
        });
        await h.AddServiceAsync("badexec");
        await h.RpcAsync("job-manager.exec-hello", new JsonObject { ["service"] = "badexec" });
        var sched = await ScriptedScheduler.StartAsync(h);

        var id = await JobClient.SubmitAsync(h, JobClient.Job());
        var result = (await Await.Within(h.RpcAsync("job-manager.wait", new JsonObject { ["id"] = id }), "the end of a job whose exec task faulted"))!;

        Assert.False(result["success"]!.GetValue<bool>(), result.ToJsonString());
        Assert.StartsWith("Fatal exception type=exec badexec.start: ", result["errstr"]!.GetValue<string>(), StringComparison.Ordinal);
        var events = await JobClient.EventNamesAsync(h, id);
        Assert.Equal(["start", "exception", "free", "clean"], events.SkipWhile(e => e != "start"));
        Assert.Contains(id, sched.Freed);
    }

    [Fact]
    public async Task Submit_JobManagerAnswersMalformedErrors_SubmitterGetsError()
    {
        await using var inst = await PipelineInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await h.RpcAsync("module.remove", new JsonObject { ["name"] = "job-manager" });
        // A job manager whose refusal names no job id: job-ingest cannot read it (NullReferenceException).
        h.RegisterHandler(MessageType.Request, "job-manager.submit", m =>
        {
            h.Respond(m, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["note"] = "refused" }) });
            return ValueTask.CompletedTask;
        });
        await h.AddServiceAsync("job-manager");

        var submit = JobClient.SubmitAsync(h, JobClient.Job());

        var ex = await Await.Within(Assert.ThrowsAsync<FluxException>(() => submit), "the error answer to a submission whose batch faulted");
        Assert.StartsWith("job-ingest: submission failed: ", ex.Message, StringComparison.Ordinal);
    }
}
