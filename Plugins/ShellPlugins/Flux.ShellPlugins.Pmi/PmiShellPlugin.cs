// The pmi-simple shell plugin (flux-core src/shell/pmi/pmi.c): a PMI server for each job, a PMI_FD channel per task.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.ShellPlugins.Pmi;

/// <summary>
/// At <c>shell.init</c>, unless <c>-o pmi</c> leaves "simple" out, creates the job's
/// <see cref="SimplePmiServer"/> with the keys the shell knows: PMI_process_mapping and flux.taskmap
/// (unless <c>pmi-simple.nomap</c>), flux.instance-level (one more than the enclosing instance's). At
/// each <c>task.init</c>, adds the task's PMI_FD channel, sets PMI_RANK and PMI_SIZE, and serves the
/// channel until the task closes it. A task's PMI_Abort, or a request that is not the wire protocol,
/// ends the job as flux-core's shell does. flux-core also sets FLUX_PMI_LIBRARY_PATH and prepends its
/// libpmi.so directory to LD_LIBRARY_PATH; Flux.NET ships no PMI library, so MPI programs use their
/// own PMI-1 client (MPICH's, for one), which finds the server through PMI_FD.
/// </summary>
[FluxPlugin("pmi-simple", PluginKind.ShellPlugin, Description = "PMI-1 wire protocol server on PMI_FD, so MPI programs and nested instances wire up")]
public sealed class PmiShellPlugin(IShell shell) : IFluxPlugin, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Stream> _channels = [];
    private SimplePmiServer? _server;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.HandleAsync("shell.init", (_, args, ct) => InitAsync(args, ct));
        plugin.Handle("task.init", (_, args) => TaskInit(args));
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        _channels.Clear();
        _stop.Dispose();
    }

    private async ValueTask<bool> InitAsync(PluginArgs args, CancellationToken ct)
    {
        PmiOptions options;
        try
        {
            options = PmiOptions.Parse(shell.GetOption("pmi"), shell.GetOption("pmi-simple"));
        }
        catch (FluxException ex)
        {
            return args.Error(ex.Message);
        }
        if (!options.Enabled)
        {
            return true;
        }
        shell.Debug("simple wire protocol is enabled");
        var localTasks = shell.RankInfo()["ntasks"]?.GetValue<int>() ?? shell.NTasks;
        var verbose = shell.GetOption("verbose") is JsonValue v && v.TryGetValue(out int level) ? level : 0;
        var server = new SimplePmiServer(Fluid.Encode(shell.JobId, FluidEncoding.F58Plain), shell.NTasks, localTasks, new LocalPmiExchange())
        {
            // flux-core traces the protocol at the shell's trace level, -o verbose=2.
            Trace = verbose >= 2 ? (rank, line) => shell.Debug($"{rank}: {line}") : null,
            Warn = shell.Log,
            Abort = (_, code, message) => shell.Die(code, "PMI_Abort" + (message.Length > 0 ? ": " + message : string.Empty)),
        };
        if (!options.NoMap && TaskMap() is { } map)
        {
            server.PutLocal("PMI_process_mapping", PmiProcessMapping.Encode(map));
            server.PutLocal("flux.taskmap", new JsonObject { ["version"] = 1, ["map"] = map.DeepClone() }.ToJsonString());
        }
        if (await InstanceLevelAsync(ct).ConfigureAwait(true) is { } level2)
        {
            server.PutLocal("flux.instance-level", (level2 + 1).ToString(CultureInfo.InvariantCulture));
        }
        _server = server;
        return true;
    }

    private bool TaskInit(PluginArgs args)
    {
        if (_server is not { } server)
        {
            return true;
        }
        if (shell.CurrentTask is not { } task)
        {
            return args.Error("task.init without a current task");
        }
        var channel = task.AddChannel("PMI_FD");
        _channels.Add(channel);
        task.SetEnv("PMI_RANK", task.Rank.ToString(CultureInfo.InvariantCulture));
        task.SetEnv("PMI_SIZE", shell.NTasks.ToString(CultureInfo.InvariantCulture));
        var rank = task.Rank;
        shell.Flux.Background(ServeAsync(server, rank, channel), $"pmi: serving task {rank}", onFault: ex =>
            shell.Die(1, ex is FluxException ? $"task {rank}: {ex.Message}" : $"task {rank}: PMI channel failed: {ex.Message}"));
        return true;
    }

    /// <summary>Serves one task's channel until the task closes it or the job ends (which is no fault).</summary>
    private async Task ServeAsync(SimplePmiServer server, int rank, Stream channel)
    {
        try
        {
            await server.ServeAsync(rank, channel, _stop.Token).ConfigureAwait(true);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The job is over: a task that never spoke PMI leaves nothing to serve.
        }
    }

    /// <summary>The job's RFC 34 task map as the shell posts it in its shell.start event (shell info's taskmap).</summary>
    private JsonArray? TaskMap()
    {
        if (shell.Info["taskmap"]?["map"] is JsonArray map)
        {
            return map;
        }
        // A shell without one: a block of NTasks over the job's nodes when they divide evenly.
        var nodes = Math.Max(1, shell.Size);
        return shell.NTasks % nodes == 0 ? [new JsonArray(0, nodes, shell.NTasks / nodes, 1)] : null;
    }

    // The instance's level never changes while this process serves it: asked once, not once per job.
    private static int? _instanceLevel;

    /// <summary>The enclosing instance's instance-level attribute, or null when the shell cannot read it.</summary>
    private async ValueTask<int?> InstanceLevelAsync(CancellationToken ct)
    {
        if (_instanceLevel is { } known)
        {
            return known;
        }
        try
        {
            var text = await shell.Flux.GetAttrAsync("instance-level", ct).ConfigureAwait(true);
            return _instanceLevel = int.TryParse(text, CultureInfo.InvariantCulture, out var level) && level >= 0 ? level : null;
        }
        catch (FluxException)
        {
            return null;
        }
    }
}
