// flux resource list|status|drain|undrain|info run as a user does, inside `flux start` with a [resource] config.
namespace Flux.Resource.Tests;

public sealed class ResourceCommandTests
{
    private const string Cluster = """
        [[resource.config]]
        hosts = "node[0-3]"
        cores = "0-3"

        [[resource.config]]
        hosts = "node[2-3]"
        gpus = "0-1"

        [[resource.config]]
        hosts = "node[0-1]"
        properties = ["batch"]

        [[resource.config]]
        hosts = "node[2-3]"
        properties = ["debug", "gpu"]

        [queues.batch]
        requires = ["batch"]

        [queues.debug]
        requires = ["debug"]
        """;

    private static async Task<FluxResult> InInstance(string config, string script)
    {
        var dir = TempDirs.Create("flux-resource-test-", "resource.toml", config);
        try
        {
            return await FluxProcess.RunAsync("start", "--config-path=" + dir, "sh", "-c", script);
        }
        finally
        {
            TempDirs.Remove(dir);
        }
    }

    private static string[] Sections(FluxResult r) => r.Stdout.Split("---\n");

    [Fact]
    public async Task List_QueuesAndProperties_FluxCoreColumns()
    {
        var r = await InInstance(Cluster, "flux resource list && echo --- && flux resource list -o rlist -q debug && echo --- && flux resource info");
        Assert.True(r.ExitCode == 0, r.ToString());
        var s = Sections(r);
        Assert.Equal("""
                 STATE QUEUE PROPERTIES NNODES NCORES NGPUS NODELIST
                  free batch                 2      8     0 node[0-1]
                  free debug gpu             2      8     4 node[2-3]
             allocated batch                 0      0     0 
             allocated debug                 0      0     0 
                  down batch                 0      0     0 
                  down debug                 0      0     0 

            """, s[0]);
        Assert.Equal("""
                 STATE QUEUE PROPERTIES NNODES NCORES NGPUS LIST
                  free debug gpu             2      8     4 rank[2-3]/core[0-3],gpu[0-1]
             allocated debug                 0      0     0 
                  down debug                 0      0     0 

            """, s[1]);
        Assert.Equal("4 Nodes, 16 Cores, 4 GPUs\n", s[2]);
    }

    [Fact]
    public async Task DrainStatusUndrain_EndToEnd()
    {
        var script = string.Join(" && echo --- && ",
            "flux resource drain node1 bad memory",
            "flux resource drain 3",
            "flux resource drain -n -o '{state} {ranks} {reason} {nodelist}'",
            "flux resource status",
            "flux resource list -s down -no '{nnodes} {nodelist}'",
            "(flux resource drain 7; echo rc=$?)",
            "(flux resource drain 1 again; echo rc=$?)",
            "flux resource drain -f 1 again",
            "flux resource drain -no '{reason}'",
            "(flux resource undrain 2; echo rc=$?)",
            "flux resource undrain node[1,3]",
            "flux resource status -s all -no {nodelist}",
            "flux resource status");
        var r = await InInstance(Cluster, script);
        Assert.True(r.ExitCode == 0, r.ToString());
        var s = Sections(r);
        Assert.Equal("drained 1 bad memory node1\ndrained 3  node3\n", s[2]);
        Assert.Equal("""
                   STATE UP NNODES NODELIST
                   avail  ✔      2 node[0,2]
                 drained  ✔      2 node[1,3]

            """, s[3]);
        Assert.Equal("2 node[1,3]\n", s[4]);
        Assert.Equal("rc=1\n", s[5]);
        Assert.Equal("rc=1\n", s[6]);
        // The line of node3 (no reason) is empty, and empty lines are not printed.
        Assert.Equal("again\n", s[8]);
        Assert.Equal("rc=1\n", s[9]);
        Assert.Equal("node[0-3]\n", s[11]);
        Assert.Equal("       STATE UP NNODES NODELIST\n       avail  ✔      4 node[0-3]\n", s[12]);
        Assert.Contains("flux-resource: drain: rank 7 is not in the resource set\n", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-resource: drain: rank 1 already drained\nflux-resource: Use --force to overwrite existing drain reason\n", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-resource: undrain: node2 (rank 2) not drained\n", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DrainList_DefaultFormat_HasTimeStateReasonNodelist()
    {
        var r = await InInstance(Cluster, "flux resource drain 0 'kernel panic' && flux resource drain");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("TIME         STATE    REASON                         NODELIST", lines[0]);
        Assert.Matches(@"^[A-Z][a-z]{2}\d{2} \d{2}:\d{2}  drained  kernel panic                   node0$", lines[1]);
    }

    [Fact]
    public async Task NoResourceConfig_ThisMachine()
    {
        var r = await FluxProcess.RunAsync("start", "flux", "resource", "list", "-no", "{state} {nnodes} {ncores} {ngpus} {nodelist}");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"free 1 {Environment.ProcessorCount} 0 {Environment.MachineName}\nallocated 0 0 0 \ndown 0 0 0 \n", r.Stdout);
    }

    [Fact]
    public async Task BadConfig_StartFailsNamingFileAndKey()
    {
        var r = await InInstance("[resource]\nexclude = \"node9\"\n", "true");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("resource.toml: [resource] exclude: invalid hosts: node9", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFormatOrState_IsAnError()
    {
        var r = await InInstance(Cluster, "flux resource list -o '{bogus}'; echo rc=$?; flux resource status -s nosuch; echo rc=$?");
        Assert.Equal("rc=1\nrc=1\n", r.Stdout);
        Assert.Contains("flux-resource: Unknown format field: bogus", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-resource: Invalid resource state nosuch specified", r.Stderr, StringComparison.Ordinal);
    }
}
