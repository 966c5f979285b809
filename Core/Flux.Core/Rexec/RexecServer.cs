// The broker's rexec service: RFC 42 subprocess server (exec, write, kill, list) as flux-core's libsubprocess server.c.
using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Handle;
using Flux.Core.Broker;
using Flux.Subprocess;
using Microsoft.Extensions.Logging;

namespace Flux.Core.Rexec;

/// <summary>
/// Runs processes for the instance owner on this broker (flux exec). Every topic is owner only, as
/// flux-core's handlers (rolemask 0): a guest gets EPERM. A foreground process is killed when the
/// client that started it disconnects; every process is killed when the broker shuts down.
/// Not done: rexec.wait and rexec.attach (waitable and re-attachable background processes),
/// auxiliary channels, and the <c>stopped</c> response (processes are not waited for stops).
/// </summary>
internal sealed class RexecServer
{
    private const int SigKill = 9;
    private static readonly string[] Unpropagated = ["FLUX_PROXY_REMOTE", "NOTIFY_SOCKET", "INVOCATION_ID"];

    private readonly FluxHandle _h;
    private readonly Func<string> _localUri;
    private readonly Lock _lock = new();
    private readonly List<RexecProcess> _procs = [];
    private readonly List<Task> _running = [];
    private bool _shuttingDown;

    public RexecServer(FluxHandle h, uint rank, Func<string> localUri, ILogger log)
    {
        _h = h;
        Rank = rank;
        RankText = rank.ToString(CultureInfo.InvariantCulture);
        _localUri = localUri;
        Logger = log;
    }

    public uint Rank { get; }

    /// <summary>The rank as io objects carry it.</summary>
    public string RankText { get; }

    public ILogger Logger { get; }

    /// <summary>Registers rexec.exec, rexec.write, rexec.kill and rexec.list on the broker's handle.</summary>
    public void Register()
    {
        _h.RegisterHandler(MessageType.Request, "rexec.exec", Exec);
        _h.RegisterHandler(MessageType.Request, "rexec.write", Write);
        _h.RegisterHandler(MessageType.Request, "rexec.kill", Kill);
        _h.RegisterHandler(MessageType.Request, "rexec.list", List);
    }

    /// <summary>Responds on the broker's handle; a client that went away loses the response.</summary>
    public void Respond(Message request, JsonNode payload)
    {
        try
        {
            _h.Respond(request, payload);
        }
        catch (FluxException)
        {
            // The broker's handle is closing.
        }
    }

    /// <summary>An error response (ENODATA ends a stream).</summary>
    public void RespondError(Message request, int errnum, string? text)
    {
        try
        {
            _h.RespondError(request, errnum, text);
        }
        catch (FluxException)
        {
            // The broker's handle is closing.
        }
    }

    /// <summary>A client went away: its foreground processes are killed (server.c server_disconnect_cb).</summary>
    public void Disconnect(string sender)
    {
        foreach (var p in Snapshot().Where(p => !p.Background && p.Request.Sender == sender))
        {
            p.Signal(SigKill);
        }
    }

    /// <summary>
    /// Refuses new processes, kills the running ones (SIGKILL, as the broker's subprocess server
    /// shutdown) and waits up to <paramref name="grace"/> for their ends.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan grace)
    {
        Task[] running;
        lock (_lock)
        {
            _shuttingDown = true;
            running = [.. _running];
        }
        foreach (var p in Snapshot())
        {
            p.Signal(SigKill);
        }
        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(grace)).ConfigureAwait(false) != all)
        {
            var left = running.Count(t => !t.IsCompleted);
            RexecLog.ShutdownLeft(Logger, left, grace.TotalSeconds);
        }
    }

    private RexecProcess[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _procs];
        }
    }

    // src/common/libsubprocess/server.c server_exec_cb: {cmd, flags, local_flags?}; a request without
    // the streaming flag starts a background process.
    private ValueTask Exec(Message m)
    {
        var o = m.GetJson();
        if (o["cmd"] is not JsonObject cmdObj)
        {
            throw new FluxException(Errno.EPROTO, "invalid request payload: 'cmd' must be an object");
        }
        var flags = (RexecFlags)Int(o, "flags", required: true);
        var localFlags = Int(o, "local_flags", required: false);
        var background = !m.IsStreaming;
        lock (_lock)
        {
            if (_shuttingDown)
            {
                throw new FluxException(Errno.ENOSYS, "subprocess server is shutting down");
            }
        }
        CheckFlags(flags, localFlags, background);
        var cmd = RexecCommand.Parse(cmdObj);
        if (cmd.Label is { } label && Snapshot().Any(p => p.Command.Label == label))
        {
            throw new FluxException(Errno.EEXIST, "command label is not unique");
        }
        TaskProcess task;
        try
        {
            task = TaskProcess.Start(new TaskStartInfo
            {
                Arguments = cmd.Argv,
                Environment = BuildEnvironment(cmd),
                WorkingDirectory = cmd.Cwd,
                Stdin = TaskStdinMode.Socket,
            });
        }
        catch (ArgumentException ex)
        {
            throw new FluxException(Errno.EINVAL, $"error launching process: {ex.Message}");
        }
        if (task.StartErrno != 0)
        {
            task.Dispose();
            // flux exec prints "Error: rank R: ARGV0: TEXT": the text does not repeat the program.
            var text = task.StartError!;
            var prefix = cmd.Argv[0] + ": ";
            throw new FluxException(task.StartErrno, text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text);
        }
        var p = new RexecProcess(this, m, cmd, flags, background, task);
        bool late;
        lock (_lock)
        {
            _procs.Add(p);
            late = _shuttingDown;
        }
        if (late)
        {
            // Started while the server began its shutdown: it goes with the others.
            p.Signal(SigKill);
        }
        Respond(m, new JsonObject { ["type"] = "started", ["pid"] = p.Pid });
        if (!background && (flags & RexecFlags.WriteCredit) != 0)
        {
            Respond(m, new JsonObject { ["type"] = "add-credit", ["channels"] = new JsonObject { ["stdin"] = cmd.StdinBufferSize } });
        }
        // Output is forwarded from here on: after started, as flux-core's client expects.
        var run = RunAsync(p);
        lock (_lock)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(run);
        }
        BackgroundWork.Watch(run, Logger, $"rexec process {p.Pid}");
        return ValueTask.CompletedTask;
    }

    private async Task RunAsync(RexecProcess p)
    {
        // Off the broker's loop: the handler returns once the process is started.
        await Task.Yield();
        try
        {
            await p.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _procs.Remove(p);
            }
        }
    }

    private static void CheckFlags(RexecFlags flags, int localFlags, bool background)
    {
        const RexecFlags known = RexecFlags.Stdout | RexecFlags.Stderr | RexecFlags.Channel | RexecFlags.WriteCredit | RexecFlags.Waitable;
        if ((flags & ~known) != 0)
        {
            throw new FluxException(Errno.EINVAL, $"unknown rexec flags 0x{(int)(flags & ~known):x} (known: stdout 1, stderr 2, channel 4, write-credit 8, waitable 16)");
        }
        if (background && (flags & RexecFlags.WriteCredit) != 0)
        {
            throw new FluxException(Errno.EINVAL, "write-credit flag is not allowed in background mode");
        }
        if ((flags & RexecFlags.Waitable) != 0)
        {
            throw new FluxException(Errno.EINVAL, background
                ? "waitable flag: this subprocess server has no rexec.wait, a background process cannot be waited for"
                : "waitable flag only supported in background mode");
        }
        if ((localFlags & RexecLocalFlags.StdioFallthrough) != 0)
        {
            throw new FluxException(Errno.EINVAL, "stdio-fallthrough local flag: the process's stdio is forwarded to the client, it cannot be the broker's");
        }
        if ((localFlags & RexecLocalFlags.NoSetpgrp) != 0)
        {
            throw new FluxException(Errno.EINVAL, "no-setpgrp local flag: this subprocess server always runs a process in a group of its own (signals go to the group)");
        }
        const int knownLocal = RexecLocalFlags.StdioFallthrough | RexecLocalFlags.NoSetpgrp | RexecLocalFlags.ForkExec | RexecLocalFlags.LocalUnbuf;
        if ((localFlags & ~knownLocal) != 0)
        {
            throw new FluxException(Errno.EINVAL, $"unknown local_flags 0x{localFlags & ~knownLocal:x}");
        }
    }

    // The client's environment, or the broker's when it sent none; FLUX_URI is this broker's, and
    // what must not pass to a process of a subprocess server is taken out (server.c).
    private List<string> BuildEnvironment(RexecCommand cmd)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (cmd.Env.Count > 0)
        {
            foreach (var (k, v) in cmd.Env)
            {
                env[k] = v;
            }
        }
        else
        {
            foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            {
                env[(string)e.Key] = (string?)e.Value ?? string.Empty;
            }
        }
        if (_localUri() is { Length: > 0 } uri)
        {
            env["FLUX_URI"] = uri;
        }
        else
        {
            env.Remove("FLUX_URI");
        }
        foreach (var name in Unpropagated)
        {
            env.Remove(name);
        }
        return [.. env.Select(kv => $"{kv.Key}={kv.Value}")];
    }

    // server.c server_write_cb: {matchtag, io}; the data goes to the process that the same client
    // started with that matchtag. Nothing is answered (flux-core's client sends it NORESPONSE), and a
    // write for a process that is gone is dropped.
    private ValueTask Write(Message m)
    {
        try
        {
            var o = m.GetJson();
            var matchtag = Int(o, "matchtag", required: true);
            var (stream, data, eof) = IoEncoding.Decode(o["io"]);
            var p = Snapshot().FirstOrDefault(p => p.Request.Sender == m.Sender && p.Request.Matchtag == (uint)matchtag);
            p?.Write(stream, data, eof);
        }
        catch (FluxException ex)
        {
            RexecLog.BadWrite(Logger, ex.Message);
        }
        return ValueTask.CompletedTask;
    }

    // server.c server_kill_cb: {pid, signum, label?} -> {}.
    private ValueTask Kill(Message m)
    {
        var o = m.GetJson();
        var pid = Int(o, "pid", required: true);
        var signum = Int(o, "signum", required: true);
        var label = o["label"] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out string? s) => s,
            _ => throw new FluxException(Errno.EPROTO, "invalid request payload: 'label' must be a string"),
        };
        var p = label is not null
            ? Snapshot().FirstOrDefault(p => p.Command.Label == label) ?? throw new FluxException(Errno.ESRCH, $"label {label} does not belong to any subprocess")
            : Snapshot().FirstOrDefault(p => p.Pid == pid) ?? throw new FluxException(Errno.ESRCH, $"pid {pid} does not belong to any subprocess");
        if (signum is <= 0 or > 64)
        {
            throw new FluxException(Errno.EINVAL, $"invalid signal number {signum} (1-64)");
        }
        if (!p.Signal(signum))
        {
            throw new FluxException(Errno.ESRCH, $"pid {p.Pid} has already exited");
        }
        _h.Respond(m);
        return ValueTask.CompletedTask;
    }

    // server.c server_list_cb: {rank, procs:[{pid, cmd, label, state, bg, waitable, attached}]} (flux ps).
    private ValueTask List(Message m)
    {
        var procs = new JsonArray([.. Snapshot().Select(p => (JsonNode)p.Info())]);
        _h.Respond(m, new JsonObject { ["rank"] = Rank, ["procs"] = procs });
        return ValueTask.CompletedTask;
    }

    private static int Int(JsonObject o, string key, bool required) => o[key] switch
    {
        JsonValue v when v.TryGetValue(out int i) => i,
        null when !required => 0,
        _ => throw new FluxException(Errno.EPROTO, $"invalid request payload: '{key}' must be an integer"),
    };
}
