// flux-core 0.88's payloads, each with where it comes from (a trace in ../shared/interop or a source path).
using System.Text.Json.Nodes;

namespace Flux.Conformance.Tests;

/// <summary>One flux-core request/response pair; <see cref="Source"/> says where it was taken from.</summary>
/// <param name="Topic">The request topic.</param>
/// <param name="Request">The request payload flux-core's client sends (null: none).</param>
/// <param name="Response">The response flux-core's service answers.</param>
/// <param name="Source">The trace file or flux-core source path it comes from.</param>
internal sealed record FluxCoreFixture(string Topic, string? Request, string Response, string Source)
{
    public JsonObject? RequestJson => Request is null ? null : JsonNode.Parse(Request)!.AsObject();

    public JsonObject ResponseJson => JsonNode.Parse(Response)!.AsObject();
}

/// <summary>The fixtures; the keys a flux-core client unpacks are the keys of <see cref="FluxCoreFixture.Response"/>.</summary>
internal static class FluxCoreFixtures
{
    public static readonly FluxCoreFixture Ping = new("broker.ping",
        """{"seq":0,"time.tv_sec":4251,"time.tv_nsec":667737544,"pad":""}""",
        """{"seq": 0, "time.tv_sec": 4251, "time.tv_nsec": 667737544, "pad": "", "route": "eeac2f47!f177a953!87f8acf0", "userid": 0, "rolemask": 5, "rank": 0}""",
        "flux-core-0.88-traces/ping.trace; src/cmd/flux-ping.c (unpacks with '!': no other keys)");

    public static readonly FluxCoreFixture ModuleList = new("module.list", null,
        """{"mods":[{"name":"kvs","path":"/usr/lib/flux/modules/kvs.so","idle":1,"status":1,"services":["kvs"],"sendqueue":0,"recvqueue":0}]}""",
        "flux-core-0.88-traces/module-list.trace; src/cmd/flux-module.c lsmod_print_list ({s:s s:s s:i s:i s:o s?i s?i}); src/broker/modhash.c modhash_entry_tojson");

    public static readonly FluxCoreFixture StateMachineGet = new("state-machine.get", null,
        """{"state":"run","duration":2.0855319109999999}""",
        "flux-core-0.88-traces/uptime.trace; src/broker/state_machine.c state_machine_get_cb ({s:s s:f})");

    public static readonly FluxCoreFixture GroupsGet = new("groups.get", """{"name":"broker.online"}""",
        """{"members":"0"}""",
        "flux-core-0.88-traces/uptime.trace; src/broker/groups.c get_request_cb ({s:s})");

    public static readonly FluxCoreFixture SecurityOwner = new("attr.get", """{"name":"security.owner"}""",
        """{"value":"0","flags":1}""",
        "flux-core-0.88-traces/uptime.trace, exec.trace");

    public static readonly string[] DmesgLines =
    [
        "<56>1 2026-12-06T11:49:33.281883Z 0 broker 15389 - - insmod config",
        "<48>1 2026-12-06T11:49:33.286057Z 0 broker 15389 - - builtins-success: load-builtins->join 4.36518ms",
        "<56>1 2026-12-06T11:49:33.283250Z 0 connector-local 15389 - - allow-guest-user=false",
    ];

    public const string DmesgSource = "flux-core-0.88-traces/dmesg-tail.trace; src/common/libutil/stdlog.c";

    public static readonly FluxCoreFixture QueueList = new("job-manager.queue-list", null,
        """{"queues":[]}""", "flux-core-0.88-traces/queue-status.trace");

    public static readonly FluxCoreFixture QueueStatus = new("job-manager.queue-status", "{}",
        """{"enable":true,"start":true}""", "flux-core-0.88-traces/queue-status.trace");

    public static readonly FluxCoreFixture HistoryGet = new("job-manager.history.get", """{"slice":"[:1]"}""",
        """{"jobs":[34510733312]}""", "flux-core-0.88-traces/job-last.trace");

    public static readonly FluxCoreFixture StatsGet = new("job-manager.stats-get", null,
        """{"journal":{"listeners":1,"events":22},"active_jobs":0,"inactive_jobs":2,"max_jobid":34510733312,"housekeeping":{"running":{},"config":{"release-after":-1.0,"command":""}}}""",
        "flux-core-0.88-traces/resource-status.trace; src/cmd/flux-housekeeping.py");

    public static readonly FluxCoreFixture Idle = new("job-manager.idle", null,
        """{"pending":0}""", "src/cmd/flux-queue.py idle (rsp[\"pending\"])");

    public static readonly FluxCoreFixture EventlogWatchEntry = new("job-info.eventlog-watch",
        """{"id":34510733312,"path":"eventlog","flags":0}""",
        """{"event":"{\"timestamp\":1796557775.589901,\"name\":\"submit\",\"context\":{\"userid\":0,\"urgency\":16,\"flags\":0,\"version\":1}}\n"}""",
        "flux-core-0.88-traces/job-status.trace; src/common/libeventlog/eventlog.c eventlog_entry_decode (requires the newline)");
}
