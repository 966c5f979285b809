// The services the broker itself provides: broker, attr, log, event, service, module, config, shutdown (state-machine and groups: Broker.StateMachine.cs; rexec: Broker.Rexec.cs).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Config;
using Flux.Client.Handle;
using Microsoft.Extensions.Logging;

namespace Flux.Core.Broker;

/// <summary>
/// The broker's own services run inline on the router's thread (they only touch thread-safe state
/// or start a task), so a <c>broker.ping</c> costs no thread hand-off.
/// </summary>
public sealed partial class Broker
{
    private static readonly string[] OwnServices = ["broker", "attr", "log", "event", "service", "module", "config", "shutdown", "state-machine", "groups", "rexec"];
    private readonly Dictionary<string, List<Action<LogEntry>>> _followers = new(StringComparer.Ordinal);
    private RouterChannel? _selfConn;

    private void RegisterServices(FluxHandle h)
    {
        _selfConn = (RouterChannel)Router.Find("broker")!;
        foreach (var s in OwnServices)
        {
            Router.AddService(s, _selfConn);
        }
        RegisterStateServices(h);
        RegisterRexec(h);
        h.RegisterHandler(MessageType.Request, "broker.ping", m =>
        {
            h.RespondRaw(m, PingResponse(m, Router.Rank));
            return ValueTask.CompletedTask;
        }, FluxRole.All);

        h.RegisterHandler(MessageType.Request, "attr.get", m =>
        {
            var name = Str(m.GetJson(), "name");
            var a = Attributes.Get(name);
            if (a is null || a.Value.Value is null)
            {
                // Answered, not thrown: every job shell asks for conf.shell_initrc and
                // conf.shell_pluginpath, which are seldom set (a throw and catch per ask).
                h.RespondError(m, Errno.ENOENT, $"attribute '{name}' is not set");
                return ValueTask.CompletedTask;
            }
            h.Respond(m, new JsonObject { ["value"] = a.Value.Value, ["flags"] = a.Value.Flags });
            return ValueTask.CompletedTask;
        }, FluxRole.All);
        h.RegisterHandler(MessageType.Request, "attr.set", m =>
        {
            var o = m.GetJson();
            Attributes.SetFromClient(Str(o, "name"), Str(o, "value"));
            h.Respond(m);
            return ValueTask.CompletedTask;
        });
        h.RegisterHandler(MessageType.Request, "attr.rm", m =>
        {
            Attributes.Remove(Str(m.GetJson(), "name"));
            h.Respond(m);
            return ValueTask.CompletedTask;
        });
        h.RegisterHandler(MessageType.Request, "attr.list", m =>
        {
            h.Respond(m, new JsonObject { ["names"] = new JsonArray([.. Attributes.Names.Select(n => (JsonNode)n)]) });
            return ValueTask.CompletedTask;
        }, FluxRole.All);

        h.RegisterHandler(MessageType.Request, "log.append", m =>
        {
            var o = m.GetJson();
            var level = o["level"]?.GetValue<int>() ?? 6;
            var name = o["name"]?.GetValue<string>() ?? "unknown";
            Log.Append(Math.Clamp(level, 0, 7), name, 0, o["message"]?.GetValue<string>() ?? string.Empty);
            h.Respond(m);
            return ValueTask.CompletedTask;
        }, FluxRole.All);
        h.RegisterHandler(MessageType.Request, "log.dmesg", m => Dmesg(h, m));
        h.RegisterHandler(MessageType.Request, "log.clear", m =>
        {
            Log.Clear();
            h.Respond(m);
            return ValueTask.CompletedTask;
        });

        h.RegisterHandler(MessageType.Request, "event.publish", m =>
        {
            var o = m.GetJson();
            var ev = new Message(MessageType.Event)
            {
                Topic = Str(o, "topic"),
                Flags = (MessageFlags)(o["flags"]?.GetValue<int>() ?? 0) & (MessageFlags.Private | MessageFlags.User1),
                UserId = m.UserId,
                RoleMask = m.RoleMask,
            };
            if (o["payload"]?.GetValue<string>() is { } b64)
            {
                ev.SetPayload(Convert.FromBase64String(b64));
            }
            if ((m.RoleMask & FluxRole.Owner) == 0 && (ev.Flags & MessageFlags.Private) == 0)
            {
                throw new FluxException(Errno.EPERM, "guests may only publish private events");
            }
            var seq = Router.Publish(ev, m.Sender is { } s ? Router.Find(s) : null);
            h.Respond(m, new JsonObject { ["seq"] = seq });
            return ValueTask.CompletedTask;
        }, FluxRole.All);
        h.RegisterHandler(MessageType.Request, "event.subscribe", m =>
        {
            Origin(m).Subscribe(Str(m.GetJson(), "topic"));
            h.Respond(m);
            return ValueTask.CompletedTask;
        }, FluxRole.All);
        h.RegisterHandler(MessageType.Request, "event.unsubscribe", m =>
        {
            var topic = Str(m.GetJson(), "topic");
            if (!Origin(m).Unsubscribe(topic))
            {
                throw new FluxException(Errno.ENOENT, $"not subscribed to '{topic}'");
            }
            h.Respond(m);
            return ValueTask.CompletedTask;
        }, FluxRole.All);

        h.RegisterHandler(MessageType.Request, "service.add", m =>
        {
            var name = Str(m.GetJson(), "service");
            if ((m.RoleMask & FluxRole.Owner) == 0 && !name.StartsWith($"{m.UserId}-", StringComparison.Ordinal))
            {
                throw new FluxException(Errno.EPERM, $"guests may only register services named '{m.UserId}-*'");
            }
            Router.AddService(name, Origin(m));
            h.Respond(m);
            return ValueTask.CompletedTask;
        }, FluxRole.All);
        h.RegisterHandler(MessageType.Request, "service.remove", m =>
        {
            Router.RemoveService(Str(m.GetJson(), "service"), Origin(m));
            h.Respond(m);
            return ValueTask.CompletedTask;
        }, FluxRole.All);

        h.RegisterHandler(MessageType.Request, "module.load", m => Background(h, m, async () =>
        {
            var o = m.GetJson();
            var args = o["args"] is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [];
            var name = await Modules.LoadAsync(Str(o, "path"), o["name"]?.GetValue<string>(), args).ConfigureAwait(false);
            return new JsonObject { ["name"] = name };
        }));
        h.RegisterHandler(MessageType.Request, "module.remove", m => Background(h, m, async () =>
        {
            var o = m.GetJson();
            await Modules.RemoveAsync(Str(o, "name"), o["force"]?.GetValue<bool>() ?? false).ConfigureAwait(false);
            return null;
        }));
        h.RegisterHandler(MessageType.Request, "module.list", m =>
        {
            h.Respond(m, Modules.ListJson());
            return ValueTask.CompletedTask;
        }, FluxRole.All);
        h.RegisterHandler(MessageType.Request, "module.stats", m =>
        {
            h.Respond(m, Modules.StatsJson(Str(m.GetJson(), "name")));
            return ValueTask.CompletedTask;
        }, FluxRole.All);

        h.RegisterHandler(MessageType.Request, "config.get", m =>
        {
            h.Respond(m, new JsonObject
            {
                ["config"] = Config.Root.DeepClone(),
                ["path"] = _options.ConfigPath,
            });
            return ValueTask.CompletedTask;
        }, FluxRole.All);
        h.RegisterHandler(MessageType.Request, "config.reload", m => Background(h, m, async () =>
        {
            if (_options.ConfigPath is not { } path)
            {
                throw new FluxException(Errno.EINVAL, "this instance was started without a config path: nothing to reload");
            }
            var next = ConfigLoader.Load(path);
            await Modules.ReloadConfigAsync(next).ConfigureAwait(false);
            Config = next;
            BrokerLog.ConfigReloaded(_log, path);
            return null;
        }));

        h.RegisterHandler(MessageType.Request, "broker.startlog", m =>
        {
            var events = new JsonArray();
            foreach (var e in StartLog?.Read() ?? [])
            {
                events.Add(JsonNode.Parse(e.ToLine()));
            }
            h.Respond(m, new JsonObject { ["events"] = events, ["statedir"] = StartLog is not null });
            return ValueTask.CompletedTask;
        }, FluxRole.All);

        h.RegisterHandler(MessageType.Request, "shutdown.start", m =>
        {
            var reason = m.GetJsonOrNull()?["reason"]?.GetValue<string>() ?? "shutdown requested";
            BrokerLog.ShutdownRequested(_log, m.UserId, reason);
            h.Respond(m);
            RequestShutdown(reason);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Re-reads the configuration on SIGHUP; failures are logged, nothing changes.</summary>
    public async Task ReloadConfigFromSignalAsync()
    {
        if (_options.ConfigPath is not { } path)
        {
            BrokerLog.ConfigSighupIgnored(_log);
            return;
        }
        try
        {
            var next = ConfigLoader.Load(path);
            await Modules.ReloadConfigAsync(next).ConfigureAwait(false);
            Config = next;
            BrokerLog.ConfigReloadedOnSighup(_log, path);
        }
        catch (FluxException ex)
        {
            BrokerLog.ConfigSighupFailed(_log, ex.Message);
        }
    }

    /// <summary>
    /// The ping response: the request's JSON object with route, userid, rolemask and rank added, as
    /// flux-core's broker answers (flux ping unpacks exactly these keys). The object is extended in
    /// place (no parse) because ping is what latency is measured with.
    /// </summary>
    private static byte[] PingResponse(Message m, uint rank)
    {
        var route = PingRoute.Of(m);
        var extra = System.Text.Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"\"route\":{System.Text.Json.JsonSerializer.Serialize(route, BrokerJson.Default.String)},\"userid\":{m.UserId},\"rolemask\":{(uint)m.RoleMask},\"rank\":{rank}}}"));
        var body = m.PayloadWithoutNul.Span.TrimEnd(" \t\r\n"u8);
        if (body.IsEmpty)
        {
            body = "{}"u8;
        }
        else if (body.Length < 2 || body[0] != (byte)'{' || body[^1] != (byte)'}')
        {
            _ = m.GetJson();
            body = "{}"u8;
        }
        var inner = body[1..^1].Trim(" \t\r\n"u8);
        var result = new byte[1 + inner.Length + (inner.Length > 0 ? 1 : 0) + extra.Length + 1];
        result[0] = (byte)'{';
        inner.CopyTo(result.AsSpan(1));
        var pos = 1 + inner.Length;
        if (inner.Length > 0)
        {
            result[pos++] = (byte)',';
        }
        extra.CopyTo(result.AsSpan(pos));
        return result;
    }

    private ValueTask Dmesg(FluxHandle h, Message m)
    {
        if (!m.IsStreaming)
        {
            throw new FluxException(Errno.EPROTO, "log.dmesg is a streaming RPC");
        }
        var o = m.GetJsonOrNull();
        var follow = o?["follow"]?.GetValue<bool>() ?? false;
        var nobacklog = o?["nobacklog"]?.GetValue<bool>() ?? false;
        Action<LogEntry>? follower = null;
        if (follow)
        {
            follower = e => h.RespondRaw(m, e.ToDmesgPayload());
            lock (_followers)
            {
                var key = m.Sender ?? string.Empty;
                if (!_followers.TryGetValue(key, out var list))
                {
                    _followers[key] = list = [];
                }
                list.Add(follower);
            }
        }
        var backlog = Log.Snapshot(follower);
        if (!nobacklog)
        {
            foreach (var e in backlog)
            {
                h.RespondRaw(m, e.ToDmesgPayload());
            }
        }
        if (!follow)
        {
            h.RespondError(m, Errno.ENODATA);
        }
        return ValueTask.CompletedTask;
    }

    private void OnDetached(BrokerConnection c)
    {
        DropGroupWatchers(c.Id);
        _rexec?.Disconnect(c.Id);
        lock (_followers)
        {
            if (_followers.Remove(c.Id, out var list))
            {
                foreach (var f in list)
                {
                    Log.Unfollow(f);
                }
            }
        }
        if (c.ServicesUsed is not { Count: > 0 } used || _selfConn is null)
        {
            return;
        }
        // RFC 6: tell every service the client used that it went away, as if the client sent it.
        foreach (var svc in used.ToArray())
        {
            if (Array.IndexOf(OwnServices, svc) >= 0)
            {
                continue;
            }
            var d = new Message(MessageType.Request)
            {
                Topic = svc + ".disconnect",
                Flags = MessageFlags.NoResponse,
                UserId = c.UserId,
                RoleMask = c.Roles,
                NodeIdTarget = NodeId.Any,
                Routes = [c.Id],
            };
            try
            {
                _selfConn.Send(d);
            }
            catch (FluxException)
            {
                // Broker shutting down.
            }
        }
    }

    private BrokerConnection Origin(Message m) =>
        (m.Sender is { } s ? Router.Find(s) : null) ?? throw new FluxException(Errno.EPROTO, "request has no sender route");

    // Runs a request's work off the broker's loop; it answers the request, and a fault in answering
    // (the requester gone) reaches the log.
    private ValueTask Background(FluxHandle h, Message m, Func<Task<JsonObject?>> work)
    {
        BackgroundWork.Run(async () =>
        {
            try
            {
                h.Respond(m, await work().ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                h.RespondError(m, ErrorMapping.ToErrnum(ex), ex.Message);
            }
        }, _log, m.Topic ?? "request");
        return ValueTask.CompletedTask;
    }

    private static string Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : throw new FluxException(Errno.EPROTO, $"missing string '{key}' in request");
}
