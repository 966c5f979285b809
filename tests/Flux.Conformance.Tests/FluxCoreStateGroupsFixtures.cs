// flux-core 0.88's state-machine.wait/monitor and groups.join/leave payloads, from the broker's source.
namespace Flux.Conformance.Tests;

/// <summary>Request and response shapes of src/broker/state_machine.c and src/broker/groups.c.</summary>
internal static class FluxCoreStateGroupsFixtures
{
    /// <summary>monitor_parent's request ({s:i} final; STATE_SHUTDOWN is 6) and a state answer ({s:i} state; STATE_RUN is 4).</summary>
    public static readonly FluxCoreFixture Monitor = new("state-machine.monitor", """{"final":6}""", """{"state":4}""",
        "src/broker/state_machine.c monitor_parent, monitor_update_one; src/broker/state_machine.h broker_state_t");

    /// <summary>state_machine_wait_cb: no payload either way (flux_respond with NULL) once in run.</summary>
    public static readonly FluxCoreFixture Wait = new("state-machine.wait", null, "{}",
        "src/broker/state_machine.c state_machine_wait_cb, wait_respond");

    /// <summary>action_quorum's join of broker.online ({s:s} name); join and leave answer without a payload.</summary>
    public static readonly FluxCoreFixture Join = new("groups.join", """{"name":"broker.online"}""", "{}",
        "src/broker/state_machine.c action_quorum; src/broker/groups.c join_request_cb");

    public static readonly FluxCoreFixture Leave = new("groups.leave", """{"name":"broker.online"}""", "{}",
        "src/broker/groups.c leave_request_cb");

    /// <summary>The texts of groups.c's EEXIST and ENOENT for rank 0.</summary>
    public static string AlreadyMember(string name) => $"rank 0 is already a member of {name}";

    public static string NotMember(string name) => $"rank 0 is not a member of {name}";
}
