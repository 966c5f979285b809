// state-machine.get and groups.get: the broker state and group membership flux-core's clients read (flux uptime).
using System.Diagnostics;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.Core.Broker;

public sealed partial class Broker
{
    // flux-core's broker states (src/broker/state_machine.c statetab) that a single broker passes
    // through: init while the rc1 modules load, run until shutdown, finalize while the modules are
    // removed (flux-core's rc3). join, quorum, cleanup, shutdown and goodbye have nothing to wait
    // for without peers or cleanup scripts and are passed at once.
    private const string StateInit = "init";
    private const string StateRun = "run";
    private const string StateFinalize = "finalize";

    // The group every broker joins once it is up (flux-core's quorum state joins it).
    private const string OnlineGroup = "broker.online";

    private readonly Lock _stateLock = new();
    private string _state = StateInit;
    private long _stateSince = Stopwatch.GetTimestamp();
    private readonly List<(string Group, Message Request)> _groupWatchers = [];

    /// <summary>The broker's state as flux-core names it (state-machine.get).</summary>
    public string State
    {
        get
        {
            lock (_stateLock)
            {
                return _state;
            }
        }
    }

    private void EnterState(string state)
    {
        List<Message> online;
        lock (_stateLock)
        {
            _state = state;
            _stateSince = Stopwatch.GetTimestamp();
            online = [.. _groupWatchers.Where(w => w.Group == OnlineGroup).Select(w => w.Request)];
        }
        // broker.online changes when the broker enters run (it joins) and leaves it (it leaves).
        foreach (var request in online)
        {
            RespondMembers(request, OnlineGroup);
        }
    }

    // Group members as flux-core's idset string: this broker's rank when it is a member, else "".
    private string MembersOf(string group)
    {
        lock (_stateLock)
        {
            return group == OnlineGroup && _state == StateRun ? Router.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        }
    }

    private void RespondMembers(Message request, string group)
    {
        try
        {
            _self?.Respond(request, new JsonObject { ["members"] = MembersOf(group) });
        }
        catch (FluxException)
        {
            // The broker's handle is closing: the watcher's connection goes with it.
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
                state = _state;
                since = _stateSince;
            }
            h.Respond(m, new JsonObject { ["state"] = state, ["duration"] = Stopwatch.GetElapsedTime(since).TotalSeconds });
            return ValueTask.CompletedTask;
        }, FluxRole.All);

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
            if (m.IsStreaming)
            {
                lock (_stateLock)
                {
                    _groupWatchers.Add((name, m));
                }
            }
            RespondMembers(m, name);
            return ValueTask.CompletedTask;
        });
    }

    // A client that goes away takes its groups.get watches with it (flux-core's groups.disconnect).
    private void DropGroupWatchers(string clientId)
    {
        lock (_stateLock)
        {
            _groupWatchers.RemoveAll(w => w.Request.Sender == clientId);
        }
    }
}
