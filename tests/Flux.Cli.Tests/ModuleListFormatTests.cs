// flux module list prints flux-core 0.88's lines for flux-core's module.list entries (flux-core-0.88-traces/module-list.trace and .out).
using System.Text.Json.Nodes;
using Flux.Cli.Commands;

namespace Flux.Cli.Tests;

public sealed class ModuleListFormatTests
{
    // Entries of the trace's response, and the lines flux-core's `flux module list` printed for them
    // (module-list.out, trailing space of an empty Service column included).
    private const string TraceEntries = """
        [{"name":"content","path":"/usr/lib/flux/modules/content.so","idle":1,"status":1,"services":["content"],"sendqueue":0,"recvqueue":0},
         {"name":"connector-local","path":"builtin","idle":0,"status":1,"services":["connector-local"],"sendqueue":0,"recvqueue":0},
         {"name":"content-sqlite","path":"/usr/lib/flux/modules/content-sqlite.so","idle":1,"status":1,"services":["content-sqlite","content-backing"],"sendqueue":0,"recvqueue":0},
         {"name":"sched-simple","path":"/usr/lib/flux/modules/sched-simple.py","idle":1,"status":1,"services":["sched-simple","feasibility","sched"],"sendqueue":0,"recvqueue":0}]
        """;

    private static readonly string[] TraceLines =
    [
        "Module                    Idle  S Sendq Recvq Service",
        "content                      1  R     0     0 ",
        "connector-local              0  R     0     0 ",
        "content-sqlite               1  R     0     0 content-backing",
        "sched-simple                 1  R     0     0 feasibility,sched",
    ];

    [Fact]
    public void FluxCoreEntries_PrintFluxCoresLines()
    {
        var entries = JsonNode.Parse(TraceEntries)!.AsArray();
        var lines = new[] { ModuleListCommand.FormatHeader(longopt: false) }
            .Concat(entries.Select(e => ModuleListCommand.FormatEntry(e!.AsObject(), longopt: false)));
        Assert.Equal(TraceLines, lines);
    }

    [Fact]
    public void QueueCountsIdleAndStates_AsFluxModuleC()
    {
        // src/cmd/flux-module.c: %5d queue counts, 'idle' past 99 seconds, X for EXITED, names cut to 24.
        var entry = JsonNode.Parse("""{"name":"a-module-name-longer-than-24","path":"/p/m.dll","idle":100,"status":3,"services":["a-module-name-longer-than-24","svc1","svc2"],"sendqueue":12,"recvqueue":3}""")!.AsObject();
        Assert.Equal("a-module-name-longer-tha  idle  X    12     3 svc1,svc2", ModuleListCommand.FormatEntry(entry, longopt: false));
        // -l: services in 8 columns, cut with '+', then the path.
        Assert.Equal("a-module-name-longer-tha  idle  X    12     3 svc1,sv+ /p/m.dll", ModuleListCommand.FormatEntry(entry, longopt: true));
        Assert.Equal("Module                    Idle  S Sendq Recvq Service  Path", ModuleListCommand.FormatHeader(longopt: true));
        // Without the optional counts (s?i), 0 as flux-core's client.
        var bare = JsonNode.Parse("""{"name":"kvs","path":"/p/kvs.dll","idle":2,"status":0,"services":["kvs"]}""")!.AsObject();
        Assert.Equal("kvs                          2  I     0     0 ", ModuleListCommand.FormatEntry(bare, longopt: false));
    }

    [Fact]
    public void EntryWithoutName_IsAProtocolError()
    {
        var ex = Assert.Throws<Flux.Abstractions.FluxException>(() => ModuleListCommand.FormatEntry(JsonNode.Parse("""{"idle":1}""")!.AsObject(), longopt: false));
        Assert.Equal("module.list: an entry lacks 'name'", ex.Message);
    }
}
