// The pipeline tests' preset of the shared TestInstance: the KVS and job modules, job-exec in test mode.
namespace Flux.Jobs.Tests;

internal static class PipelineInstance
{
    public static readonly IReadOnlyList<string> Modules = [.. TestInstance.KvsModules, "job-manager", "job-ingest", "job-exec"];

    /// <summary>
    /// Starts the job modules with <paramref name="config"/> after <c>[exec.testexec] enable = true</c>;
    /// pass a statedir and a config dir of your own to restart on them.
    /// </summary>
    public static Task<TestInstance> StartAsync(string config = "", string? stateDir = null, string? confDir = null) =>
        TestInstance.StartAsync(new InstanceOptions
        {
            Modules = Modules,
            Config = "[exec.testexec]\nenable = true\n" + config,
            ConfigPath = confDir,
            Statedir = stateDir,
        });
}
