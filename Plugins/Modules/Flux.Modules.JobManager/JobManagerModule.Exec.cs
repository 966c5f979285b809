// The execution side of RFC 32: exec-hello, then one streaming start request per job whose
// responses (start, release, exception, finish) become job events.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    private string? _execService;

    private ValueTask OnExecHello(Message msg)
    {
        var service = msg.GetJson()["service"]?.GetValue<string>() ?? throw new FluxException(Errno.EPROTO, "exec-hello: missing service");
        _execService = service;
        JobManagerLog.ExecService(log, service);
        flux.Respond(msg);
        foreach (var job in _jobs.Values.Where(j => j.State == JobState.Run && !j.ExecActive && !j.ExecRequested).OrderBy(j => j.Id))
        {
            StartExec(job);
        }
        return ValueTask.CompletedTask;
    }

    private void StartExec(Job job)
    {
        // A prolog holds the start request back until it finishes (event.c).
        if (job.ExecRequested || _execService is null || job.PerilogActive > 0)
        {
            return;
        }
        job.ExecRequested = true;
        job.ExecActive = true;
        var service = _execService;
        flux.Background(ExecAsync(job, service), "exec start request", onFault: ex => OnExecFault(job, service, ex));
    }

    // An exec task that failed other than by an RFC 6 error (a malformed response): the job gets a
    // fatal exception and leaves RUN instead of waiting for a release that will never come.
    private void OnExecFault(Job job, string service, Exception ex)
    {
        if ((job.State & JobState.Active) != 0 && !job.FatalException)
        {
            RaiseException(job, "exec", 0, $"{service}.start: {ex.Message}", 0);
        }
        if (job.ExecActive)
        {
            job.ExecActive = false;
            Act(job);
        }
    }

    private async Task ExecAsync(Job job, string service)
    {
        // Written straight to UTF-8: the jobspec as submitted and R as the scheduler gave it.
        var req = new Message(MessageType.Request) { Topic = service + ".start", NodeIdTarget = NodeId.Any };
        req.SetPayload(Message.EncodeJson(job, static (w, job) =>
        {
            w.WriteStartObject();
            w.WriteNumber("id", job.Id);
            w.WriteNumber("userid", job.UserId);
            w.WritePropertyName("jobspec");
            w.WriteRawValue(job.Spec.Utf8, skipInputValidation: true);
            job.WriteR(w);
            w.WriteBoolean("reattach", job.Reattach);
            w.WriteEndObject();
        }));
        try
        {
            await foreach (var m in flux.StreamAsync(req).ConfigureAwait(true))
            {
                var r = m.GetJson();
                var type = r["type"]?.GetValue<string>();
                var data = r["data"] as JsonObject;
                switch (type)
                {
                    case "start":
                        Post(job, JobEventNames.Start, null);
                        break;
                    case "reattached":
                        // The job's start is in its eventlog already: the restarted job-exec has taken it over.
                        job.Reattach = false;
                        break;
                    case "release":
                        var final = data?["final"]?.GetValue<bool>() ?? false;
                        Post(job, JobEventNames.Release, new JsonObject { ["ranks"] = data?["ranks"]?.DeepClone() ?? "all", ["final"] = final });
                        if (final)
                        {
                            job.ExecActive = false;
                            Act(job);
                        }
                        break;
                    case "exception":
                        RaiseException(job, data?["type"]?.GetValue<string>() ?? "exec", data?["severity"]?.GetValue<int>() ?? 0, data?["note"]?.GetValue<string>() ?? string.Empty, 0);
                        break;
                    case "finish":
                        Post(job, JobEventNames.Finish, new JsonObject { ["status"] = data?["status"]?.GetValue<int>() ?? 0 });
                        break;
                    default:
                        JobManagerLog.UnknownExecResponse(log, job.Id, type);
                        break;
                }
            }
        }
        catch (FluxException ex)
        {
            if ((job.State & JobState.Active) != 0 && !job.FatalException)
            {
                RaiseException(job, "exec", 0, $"{service}.start: {ex.Message}", 0);
            }
        }
        if (job.ExecActive)
        {
            job.ExecActive = false;
            Act(job);
        }
    }
}
