// state-machine.get/wait/monitor and groups.get/join/leave: the broker state and group membership flux-core's clients read.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.Core.Broker;

public sealed partial class Broker
{
    // flux-core's broker states (src/broker/state_machine.h broker_state_t; the index is the number
    // state-machine.monitor reports). A single broker is in init while the rc1 modules load, run until
    // shutdown, finalize while the modules are removed (flux-core's rc3), and exit once they are gone.
    // join, quorum, cleanup, shutdown and goodbye have nothing to wait for without peers or cleanup
    // scripts: they are passed at once (monitors are told of each, get never sees them).
    private static readonly string[] States = ["none", "join", "init", "quorum", "run", "cleanup", "shutdown", "finalize", "goodbye", "exit"];
    private const string StateInit = "init";
    private const string StateRun = "run";
    private const string StateFinalize = "finalize";
    private const string StateExit = "exit";
    private const int RunIndex = 4;
    private const int ExitIndex = 9;

    // The group every broker joins once it is up (flux-core's quorum state joins it).
    private const string OnlineGroup = "broker.online";

    // Who joined a group, for the auto-leave when that client disconnects: the broker itself joins broker.online.
    private const string BrokerJoiner = "";

    private readonly Lock _stateLock = new();
    private int _state = Array.IndexOf(States, StateInit);
    private long _stateSince = Stopwatch.GetTimestamp();
    private readonly List<(string Group, Message Request)> _groupWatchers = [];
    private readonly Dictionary<string, string> _joined = new(StringComparer.Ordinal);
    private readonly List<Message> _stateMonitors = [];
    private readonly List<Message> _stateWaiters = [];

    /// <summary>The broker's state as flux-core names it (state-machine.get).</summary>
    public string State
    {
        get
        {
            lock (_stateLock)
            {
                return States[_state];
            }
        }
    }

    // Moves to STATE, passing the states between (each reported to monitors), as flux-core's state
    // machine walks its table; broker.online is joined on entering run and left on leaving it.
    private void EnterState(string state)
    {
        var target = Array.IndexOf(States, state);
        var responses = new List<Action>();
        lock (_stateLock)
        {
            while (_state < target)
            {
                _state++;
                _stateSince = Stopwatch.GetTimestamp();
                // A start-up that failed (rc1) goes from init to shutdown, as flux-core's rc1-fail.
                if (!_started && _state is > RunIndex - 2 and < RunIndex + 2 && target > RunIndex)
                {
                    continue;
                }
                var now = _state;
                foreach (var m in _stateMonitors.ToArray())
                {
                    if (!MonitorUpdate(m, now, responses))
                    {
                        _stateMonitors.Remove(m);
                    }
                }
                if (now >= RunIndex)
                {
                    foreach (var w in _stateWaiters)
                    {
                        responses.Add(WaitAnswer(w, now));
                    }
                    _stateWaiters.Clear();
                }
                if (now == RunIndex && _joined.TryAdd(OnlineGroup, BrokerJoiner))
                {
                    GroupChanged(OnlineGroup, responses);
                }
                if (now == RunIndex + 1 && _joined.Remove(OnlineGroup))
                {
                    GroupChanged(OnlineGroup, responses);
                }
            }
        }
        foreach (var respond in responses)
        {
            respond();
        }
    }

    // src/broker/state_machine.c monitor_update_one: {state} now; ENODATA once past the request's
    // final state (default exit) or after one answer without the streaming flag. False: drop it.
    private bool MonitorUpdate(Message m, int state, List<Action> responses)
    {
        var final = ExitIndex;
        try
        {
            if (m.GetJsonOrNull()?["final"] is JsonValue v && v.TryGetValue(out int f))
            {
                final = f;
            }
        }
        catch (FluxException)
        {
            // flux_msg_unpack failed: the default final state, as flux-core.
        }
        if (state > final)
        {
            responses.Add(() => RespondSelfError(m, Errno.ENODATA, null));
            return false;
        }
        responses.Add(() => RespondSelf(m, new JsonObject { ["state"] = state }));
        if (!m.IsStreaming)
        {
            return false;
        }
        if (state == final)
        {
            responses.Add(() => RespondSelfError(m, Errno.ENODATA, null));
            return false;
        }
        return true;
    }

    // state_machine.c wait_respond: an empty answer in run, ENOENT once past it.
    private Action WaitAnswer(Message m, int state) => state == RunIndex
        ? () => RespondSelf(m, null)
        : () => RespondSelfError(m, Errno.ENOENT, "broker has surpassed RUN state");

    // Group members as flux-core's idset string: this broker's rank when it is a member, else "".
    private string MembersOf(string group) =>
        _joined.ContainsKey(group) ? Router.Rank.ToString(CultureInfo.InvariantCulture) : string.Empty;

    // groups.c get_respond_all: every watcher of the group hears its new membership.
    private void GroupChanged(string group, List<Action> responses)
    {
        var members = MembersOf(group);
        foreach (var (g, request) in _groupWatchers)
        {
            if (g == group)
            {
                responses.Add(() => RespondSelf(request, new JsonObject { ["members"] = members }));
            }
        }
    }

    private void RespondSelf(Message request, JsonObject? payload)
    {
        try
        {
            _self?.Respond(request, payload);
        }
        catch (FluxException)
        {
            // The broker's handle is closing: the requester's connection goes with it.
        }
    }

    private void RespondSelfError(Message request, int errnum, string? text)
    {
        try
        {
            _self?.RespondError(request, errnum, text);
        }
        catch (FluxException)
        {
            // As above.
        }
    }

    private void RegisterStateServices(FluxHandle h)
    {
        // src/broker/state_machine.c state_machine_get_cb: {state, duration} (seconds in the state), any user.
        h.RegisterHandler(MessageType.Request, "state-machine.get", m =>
        {
            string state;
            long since;
            lock (_stateLock)
            {
                state = States[_state];
                since = _stateSince;
            }
            h.Respond(m, new JsonObject { ["state"] = state, ["duration"] = Stopwatch.GetElapsedTime(since).TotalSeconds });
            return ValueTask.CompletedTask;
        }, FluxRole.All);

        // state_machine_wait_cb: answered (empty) once the broker is in run, ENOENT past it; any user.
        h.RegisterHandler(MessageType.Request, "state-machine.wait", m =>
        {
            Action? answer = null;
            lock (_stateLock)
            {
                if (_state >= RunIndex)
                {
                    answer = WaitAnswer(m, _state);
                }
                else
                {
                    _stateWaiters.Add(m);
                }
            }
            answer?.Invoke();
            return ValueTask.CompletedTask;
        }, FluxRole.All);

        // state_machine_monitor_cb: {final?} -> {state} now and at each change (streaming), owner only.
        h.RegisterHandler(MessageType.Request, "state-machine.monitor", m =>
        {
            var responses = new List<Action>();
            lock (_stateLock)
            {
                if (MonitorUpdate(m, _state, responses))
                {
                    _stateMonitors.Add(m);
                }
            }
            foreach (var respond in responses)
            {
                respond();
            }
            return ValueTask.CompletedTask;
        });

        // src/broker/groups.c get_request_cb: {name} -> {members}; an unknown group is empty; with the
        // streaming flag the request stays open and is answered again when the membership changes,
        // until the client disconnects. Owner only (flux-core's rolemask 0).
        h.RegisterHandler(MessageType.Request, "groups.get", m =>
        {
            var name = Str(m.GetJson(), "name");
            if (Router.Rank != 0)
            {
                throw new FluxException(Errno.EPROTO, "this RPC is only available on rank 0");
            }
            string members;
            lock (_stateLock)
            {
                members = MembersOf(name);
                if (m.IsStreaming)
                {
                    _groupWatchers.Add((name, m));
                }
            }
            h.Respond(m, new JsonObject { ["members"] = members });
            return ValueTask.CompletedTask;
        });

        // groups.c join_request_cb: {name} -> {}: this broker's rank joins the group; EEXIST when it
        // is a member already. The client that joined is remembered: its disconnect leaves the group.
        h.RegisterHandler(MessageType.Request, "groups.join", m =>
            ChangeMembership(h, m, name => _joined.TryAdd(name, m.Sender ?? BrokerJoiner), Errno.EEXIST, "is already a member of"));

        // groups.c leave_request_cb: {name} -> {}; ENOENT when this broker's rank is not a member.
        h.RegisterHandler(MessageType.Request, "groups.leave", m =>
            ChangeMembership(h, m, name => _joined.Remove(name), Errno.ENOENT, "is not a member of"));
    }

    // groups.join and groups.leave: the change is made under the state lock (refused with errnum and
    // "rank R <refusal> NAME" when it does not apply), answered, then the group's watchers are told.
    private ValueTask ChangeMembership(FluxHandle h, Message m, Func<string, bool> change, int errnum, string refusal)
    {
        var name = Str(m.GetJson(), "name");
        var responses = new List<Action>();
        lock (_stateLock)
        {
            if (!change(name))
            {
                throw new FluxException(errnum, $"rank {Router.Rank} {refusal} {name}");
            }
            GroupChanged(name, responses);
        }
        h.Respond(m);
        foreach (var respond in responses)
        {
            respond();
        }
        return ValueTask.CompletedTask;
    }

    // A client that goes away takes its watches, waits and monitors with it, and leaves the groups
    // it joined (groups.c and state_machine.c disconnect_cb).
    private void DropGroupWatchers(string clientId)
    {
        var responses = new List<Action>();
        lock (_stateLock)
        {
            _groupWatchers.RemoveAll(w => w.Request.Sender == clientId);
            _stateMonitors.RemoveAll(m => m.Sender == clientId);
            _stateWaiters.RemoveAll(m => m.Sender == clientId);
            foreach (var group in _joined.Where(kv => kv.Value == clientId).Select(kv => kv.Key).ToList())
            {
                _joined.Remove(group);
                GroupChanged(group, responses);
            }
        }
        foreach (var respond in responses)
        {
            respond();
        }
    }
}
