// flux exec: run a command on broker ranks through their rexec service (RFC 42), as flux-core's flux-exec(1).
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;
using Flux.Formats;

namespace Flux.Cli.Commands;

/// <summary>
/// src/cmd/flux-exec.c: one streaming <c>rexec.exec</c> per target rank; stdin forwarded to every
/// process with <c>rexec.write</c> within the stdin credit each grants; output printed as it comes;
/// the exit code the largest of the processes' (128+N for a signal, 126/127 for a command that could
/// not be run); Ctrl-C and SIGTERM forwarded with <c>rexec.kill</c>, three Ctrl-C within a second
/// each give up.
/// </summary>
internal sealed partial class ExecCommand : Command
{
    public override string Name => "exec";

    public override string Summary => "Execute processes across flux ranks.";

    public override string Usage => "[OPTIONS] COMMAND...";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("rank", 'r', "IDSET", "Specify target ranks.  Default is \"all\""),
        new("exclude", 'x', "IDSET", "Exclude ranks from target."),
        new("bg", null, null, "Run process in background and exit"),
        new("waitable", null, null, "Process remains a zombie until exit status is collected (not supported: refused)"),
        new("label", null, "LABEL", "Set a remote process label."),
        new("dir", 'd', "PATH", "Set the working directory to PATH"),
        new("label-io", 'l', null, "Label lines of output with the source RANK"),
        new("noinput", 'n', null, "Redirect stdin from /dev/null"),
        new("verbose", 'v', null, "Run with more verbosity."),
        new("quiet", 'q', null, "Suppress extraneous output."),
        new("service", null, "NAME", "Override service name (default: rexec; no other is served)."),
        new("setopt", null, "NAME=VALUE", "Set subprocess option NAME to VALUE (multiple use ok)", Repeatable: true),
        new("stdin-flow", null, "on|off", "Forcibly enable or disable stdin flow control"),
        new("with-imp", null, null, "Run args under 'flux-imp run' (not supported: refused)"),
        new("jobid", 'j', "JOBID", "Set target ranks to nodes assigned to JOBID and service name to job shell exec service (not supported: refused)"),
    ];

    public override string Details => """
        COMMAND runs on each target rank with this environment and working directory (-d none: the
        broker's). The exit code is the largest of the processes': 128+N for one killed by signal N,
        126 or 127 for a command that could not be run. Ctrl-C sends SIGINT to the processes; a
        third Ctrl-C within a second gives up on them. SIGTERM is forwarded too.

        --waitable, --with-imp and --jobid are refused: Flux.NET's subprocess server has no
        rexec.wait, no IMP, and its job shell has no rexec service.
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        if (args.Positionals.Count == 0)
        {
            // As flux-exec: the usage, and exit 1.
            await Console.Error.WriteAsync(HelpText()).ConfigureAwait(false);
            return 1;
        }
        Refuse(args);
        var flow = args.Get("stdin-flow") switch
        {
            null or "on" => true,
            "off" => false,
            _ => throw new FluxException(Errno.EINVAL, "Set --stdin-flow to on or off"),
        };
        var opts = new JsonObject();
        foreach (var setopt in args.GetAll("setopt"))
        {
            var eq = setopt.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FluxException(Errno.EINVAL, $"error handling '{setopt}' option: expected NAME=VALUE");
            }
            opts[setopt[..eq]] = setopt[(eq + 1)..];
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var size = uint.Parse(await h.GetAttrAsync("size", ct).ConfigureAwait(false) ?? "1", CultureInfo.InvariantCulture);
        var targets = Targets(size, args.Get("rank") ?? "all", args.Get("exclude"));
        var owner = await h.GetAttrAsync("security.owner", ct).ConfigureAwait(false)
            ?? throw new FluxException(Errno.ENOENT, "failed to fetch security.owner attribute");
        var cmd = CommandObject(args, opts, owner);
        if (args.Has("bg"))
        {
            return await BackgroundAsync(h, targets, cmd, args.Positionals[0], ct).ConfigureAwait(false);
        }
        var flags = 1 | 2 | (flow ? 8 : 0);
        var session = new ExecCommandSession(h, args.Positionals[0], args.Has("label-io"), flow, args.Has("verbose"));
        // flux-exec.c signal_cb: Ctrl-C and SIGTERM go to the processes (from before the first request).
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            session.OnSignal(2);
        });
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            session.OnSignal(15);
        });
        var t0 = Stopwatch.StartNew();
        if (args.Has("verbose"))
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{t0.Elapsed.TotalMilliseconds:F6}ms: Starting {args.Positionals[0]} on {targets}")).ConfigureAwait(false);
        }
        foreach (var rank in targets)
        {
            session.Start(rank, new JsonObject { ["cmd"] = cmd.DeepClone(), ["flags"] = flags, ["local_flags"] = 0 }, ct);
        }
        if (args.Has("verbose"))
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{t0.Elapsed.TotalMilliseconds:F6}ms: Sent all requests")).ConfigureAwait(false);
        }
        var code = await session.RunAsync(!args.Has("noinput"), ct).ConfigureAwait(false);
        if (session.GaveUp)
        {
            return code;
        }
        if (args.Has("verbose"))
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{t0.Elapsed.TotalMilliseconds:F6}ms: {session.Exited} tasks complete with code {code}")).ConfigureAwait(false);
        }
        if (!args.Has("quiet"))
        {
            foreach (var (what, ranks) in session.ExitSets())
            {
                await Console.Error.WriteLineAsync($"{ranks}: {what}").ConfigureAwait(false);
            }
        }
        return code;
    }

    // Options of flux-core's flux exec this instance cannot act on: each refused, saying why.
    private static void Refuse(ParsedArgs args)
    {
        if (args.Has("waitable"))
        {
            throw new FluxException(Errno.EINVAL, "--waitable: Flux.NET's subprocess server has no rexec.wait to collect the status of a waitable process");
        }
        if (args.Has("with-imp"))
        {
            throw new FluxException(Errno.EINVAL, "--with-imp: Flux.NET has no IMP (flux-imp) to run processes as another user");
        }
        if (args.Has("jobid"))
        {
            throw new FluxException(Errno.EINVAL, "--jobid: Flux.NET's job shell has no rexec service to run processes in a job");
        }
        if (args.Get("service") is { } service && service != "rexec")
        {
            throw new FluxException(Errno.EINVAL, $"--service={service}: the only subprocess service of a Flux.NET broker is rexec");
        }
    }

    // flux-exec.c filter_ranks: --rank is a set of indices into [0, size-1] ("all" for all), --exclude
    // a set of ranks taken out (ids past the last rank are ignored).
    internal static IdSet Targets(uint size, string include, string? exclude)
    {
        IdSet? includeIds = null;
        if (include != "all" && !IdSet.TryParse(include, out includeIds))
        {
            throw new FluxException(Errno.EINVAL, $"failed to decode idset '{include}'");
        }
        if (includeIds?.Last() is { } last && last >= size)
        {
            throw new FluxException(Errno.EINVAL, $"One or more invalid --ranks specified: {include}");
        }
        IdSet? excludeIds = null;
        if (exclude is not null && !IdSet.TryParse(exclude, out excludeIds))
        {
            throw new FluxException(Errno.EINVAL, "error decoding --exclude idset");
        }
        var targets = new IdSet(Enumerable.Range(0, (int)size).Select(i => (uint)i)
            .Where(r => (includeIds is null || includeIds.Contains(r)) && excludeIds?.Contains(r) != true));
        return targets.IsEmpty ? throw new FluxException(Errno.EINVAL, "No targets specified") : targets;
    }

    // The command object as flux-core's cmd_tojson writes it (exec.trace): this process's environment
    // without FLUX_PROXY_REMOTE, DBUS_SESSION_BUS_ADDRESS for the owner's systemd user instance.
    private static JsonObject CommandObject(ParsedArgs args, JsonObject opts, string owner)
    {
        var env = new JsonObject();
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if ((string)e.Key != "FLUX_PROXY_REMOTE")
            {
                env[(string)e.Key] = (string?)e.Value ?? string.Empty;
            }
        }
        if (!env.ContainsKey("DBUS_SESSION_BUS_ADDRESS"))
        {
            env["DBUS_SESSION_BUS_ADDRESS"] = $"unix:path=/run/user/{owner}/bus";
        }
        var cmd = new JsonObject();
        var cwd = args.Get("dir") ?? Directory.GetCurrentDirectory();
        if (cwd != "none")
        {
            cmd["cwd"] = cwd;
        }
        cmd["cmdline"] = new JsonArray([.. args.Positionals.Select(a => (JsonNode)a)]);
        cmd["env"] = env;
        cmd["opts"] = opts;
        cmd["channels"] = new JsonArray();
        cmd["msgchan"] = new JsonArray();
        if (args.Get("label") is { } label)
        {
            cmd["label"] = label;
        }
        return cmd;
    }

    // flux exec --bg: a non-streaming exec per rank, "RANK: PID" for each started process.
    private static async Task<int> BackgroundAsync(FluxHandle h, IdSet targets, JsonObject cmd, string argv0, CancellationToken ct)
    {
        var code = 0;
        foreach (var rank in targets)
        {
            try
            {
                var resp = await h.RpcAsync("rexec.exec", new JsonObject { ["cmd"] = cmd.DeepClone(), ["flags"] = 0, ["local_flags"] = 0 }, rank, ct).ConfigureAwait(false);
                Console.WriteLine($"{rank}: {resp?["pid"]?.GetValue<int>()}");
            }
            catch (FluxException ex)
            {
                await Console.Error.WriteLineAsync($"flux-exec: Error: rank {rank}: {argv0}: {ex.Message}").ConfigureAwait(false);
                code = 1;
            }
        }
        return code;
    }
}
