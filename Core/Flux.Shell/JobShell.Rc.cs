// The initrc step of the shell (flux-shell(1), flux-shell-initrc(5)): which rc file runs, the Lua state that
// runs it, and the plugin stack calls whose failures flux-core's shell treats as fatal or only logs.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Shell.Lua;

namespace Flux.Shell;

public sealed partial class JobShell
{
    // As flux-core's shell.c: a plugin failing one of these fails the job; the other topics only log it.
    private static readonly HashSet<string> FatalTopics = new(StringComparer.Ordinal)
    {
        "shell.init", "shell.post-init", "task.init", "task.fork", "shell.start",
    };

    private ShellRc? _rc;
    private ShellRcHost? _rcHost;

    /// <summary>
    /// Chooses and runs the initrc as flux-core's shell.c does: <c>-o initrc=F</c> when given (a missing F fails
    /// the job), otherwise the system initrc (the <c>conf.shell_initrc</c> attribute, or the one shipped beside the
    /// engine), skipped silently when unreadable. No readable rc file: no Lua state at all.
    /// </summary>
    private async Task RunInitrcAsync(Task<ShellAttributes> attributes)
    {
        var attrs = await attributes.ConfigureAwait(true);
        string? systemInitrc = attrs.Initrc;
        // flux-core: plugin.searchpath starts as conf.shell_pluginpath; this shell's loader searches that too.
        string pluginPath = attrs.PluginPath ?? string.Join(':', PluginLoader.SearchPath);
        // flux-core's shell has chdir'ed into the job's cwd (or /tmp) by now; this one resolves names there instead.
        string cwd = Directory.Exists(_info.Cwd) ? _info.Cwd : "/tmp";
        string rcFile;
        if (_info.Option("initrc") is { } given)
        {
            rcFile = given.GetValueKind() == JsonValueKind.String ? given.GetValue<string>() : given.ToJsonString();
            if (!File.Exists(Path.Combine(cwd, rcFile)))
            {
                var why = $"loading rc file {rcFile}: No such file or directory";
                _output.Log(2, why);
                throw new FluxException(Errno.ENOENT, why);
            }
        }
        else
        {
            rcFile = systemInitrc ?? ShellRc.DefaultInitrc;
            if (!Readable(rcFile))
            {
                return;
            }
        }
        _rcHost = new ShellRcHost(_info, Plugins, new ShellRcHost.Sink(
            (level, message) => _output.Log(level, message),
            message =>
            {
                // shell.die: FATAL is logged; the tasks are killed and the job fails with the message.
                _fatal ??= new FluxException(Errno.ECANCELED, message);
                Kill(KillSignal);
            },
            LoadCSharpPlugin), pluginPath);
        _rcHost.Log(ShellRcLogLevel.Debug, null, -1, $"Loading {rcFile}");
        _rc = new ShellRc(_rcHost, rcFile, new ShellRcOptions { WorkingDirectory = cwd });
        try
        {
            _rc.Run();
        }
        catch (ShellRcException ex)
        {
            // The engine has logged the error (or shell.die its FATAL line) on the job's stderr; the job fails with it.
            Kill(KillSignal);
            ThrowIfDied();
            throw new FluxException(Errno.EINVAL, ex.Message, ex);
        }
        ThrowIfDied();
    }

    /// <summary>
    /// Calls a topic on the plugin stack. Every plugin runs even after one fails; each failure is logged on the
    /// job's stderr ("plugin 'NAME': TOPIC failed") and fails the job for the <see cref="FatalTopics"/>.
    /// During task.* topics the current task is what Lua's <c>task</c> table shows.
    /// </summary>
    private async ValueTask CallAsync(string topic, JsonObject args)
    {
        _rcHost?.CurrentTask = _current is { } task ? new ShellRcTask(task, topic == "task.exec") : null;
        IReadOnlyList<string> failed;
        try
        {
            failed = await Plugins.CallAsync(topic, args).ConfigureAwait(true);
        }
        finally
        {
            _rcHost?.CurrentTask = null;
        }
        // shell.exit runs after the output is closed: its failures go to the broker's log only.
        bool open = topic != "shell.exit";
        foreach (var plugin in failed)
        {
            if (open)
            {
                _output.Log(3, $"plugin '{plugin}': {topic} failed");
            }
            ShellLog.PluginFailed(_log, _info.Id, plugin, topic);
        }
        if (!open)
        {
            return;
        }
        ThrowIfDied();
        if (failed.Count > 0 && FatalTopics.Contains(topic))
        {
            var why = topic == "task.init"
                ? string.Create(CultureInfo.InvariantCulture, $"failed to initialize taskid={args["rank"]}")
                : $"plugin '{failed[0]}': {topic} failed";
            _output.Log(2, why);
            Kill(KillSignal);
            throw new FluxException(Errno.ECANCELED, why);
        }
    }

    /// <summary>plugin.load of a C# plugin (.dll) from an initrc: this job's loader, as the shell plugin path's plugins.</summary>
    private void LoadCSharpPlugin(string path, JsonObject conf)
    {
        var names = PluginLoader.Load(path, conf);
        _rcHost?.Log(ShellRcLogLevel.Debug, null, -1, $"plugin.load {path}: {string.Join(", ", names)}");
    }

    private void DisposeRc()
    {
        _rc?.Dispose();
        _rc = null;
    }

    private static bool Readable(string path)
    {
        try
        {
            using var f = File.OpenRead(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
