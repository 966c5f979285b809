// gpu-affinity: CUDA_VISIBLE_DEVICES from the GPUs R gives this node, for the whole job (on) or
// split among the tasks (per-task), as flux-core's gpubind.c does.
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.ShellPlugins.Builtins;

/// <summary>
/// <c>-o gpu-affinity=on|off|per-task</c> (default on). With GPUs in R: on sets CUDA_VISIBLE_DEVICES
/// to them (comma-separated) and CUDA_DEVICE_ORDER=PCI_BUS_ID in the job environment; per-task gives
/// each task its share. Without GPUs nothing is set (a job without GPUs sees the machine as before).
/// </summary>
[FluxPlugin("gpu-affinity", PluginKind.ShellPlugin, Description = "CUDA_VISIBLE_DEVICES from the job's GPUs (-o gpu-affinity)")]
public sealed class GpuAffinity(IShell shell) : IFluxPlugin
{
    private string _mode = "on";
    private IReadOnlyList<int> _gpus = [];

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("shell.init", (_, args) => Init(args));
        plugin.Handle("task.init", (_, _) => PerTask());
    }

    /// <summary>Checks the option's value.</summary>
    public static string? Check(string value) =>
        value is "on" or "off" or "per-task" ? null : $"gpu-affinity: invalid option '{value}' (expected on, off or per-task)";

    private bool Init(PluginArgs args)
    {
        _mode = ShellOption.AsString(shell.GetOption("gpu-affinity")) ?? "on";
        if (Check(_mode) is { } error)
        {
            return args.Error(error);
        }
        var gpus = IdSet.Parse(shell.RankInfo()["resources"]?["gpus"]?.GetValue<string>() ?? string.Empty);
        _gpus = [.. gpus.Select(g => (int)g)];
        if (_mode == "off" || _gpus.Count == 0)
        {
            return true;
        }
        shell.SetEnv("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
        shell.SetEnv("CUDA_VISIBLE_DEVICES", string.Join(',', _gpus));
        return true;
    }

    private bool PerTask()
    {
        if (_mode == "per-task" && _gpus.Count > 0 && shell.CurrentTask is { } task)
        {
            task.SetEnv("CUDA_VISIBLE_DEVICES", string.Join(',', CpuAffinity.Share(_gpus, task.LocalId, Math.Max(shell.NTasks, 1))));
        }
        return true;
    }
}
