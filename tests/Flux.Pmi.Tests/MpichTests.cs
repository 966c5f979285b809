// A real MPI program (MPICH) wires up through the server: MPI_Init's PMI-1 exchange, then an allreduce.
using System.Diagnostics;
using Flux.ShellPlugins.Pmi;

namespace Flux.Pmi.Tests;

public sealed class MpichTests : IDisposable
{
    private const string Program = """
        #include <mpi.h>
        #include <stdio.h>
        int main (int argc, char **argv)
        {
            int rank, size, sum = 0;
            MPI_Init (&argc, &argv);
            MPI_Comm_rank (MPI_COMM_WORLD, &rank);
            MPI_Comm_size (MPI_COMM_WORLD, &size);
            MPI_Allreduce (&rank, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
            printf ("rank %d of %d: sum %d\n", rank, size, sum);
            MPI_Finalize ();
            return 0;
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("flux-pmi-mpich-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [MpiFact]
    public async Task MpiInit_FourTasks_AllreduceOverPmiWireup()
    {
        var exe = await CompileAsync();
        var server = new SimplePmiServer("f2JW1mFy", 4, 4, new LocalPmiExchange());
        server.PutLocal("PMI_process_mapping", PmiProcessMapping.Encode([new System.Text.Json.Nodes.JsonArray(0, 1, 4, 1)]));

        var tasks = await PmiTaskGroup.RunAsync(server, 4, [exe]);

        foreach (var t in tasks)
        {
            Assert.True(t.ExitCode == 0, $"rank {t.Rank}: exit {t.ExitCode}: {t.Stderr}");
            Assert.Equal($"rank {t.Rank} of 4: sum 6\n", t.Stdout);
        }
    }

    private async Task<string> CompileAsync()
    {
        var source = Path.Combine(_dir, "allreduce.c");
        var exe = Path.Combine(_dir, "allreduce");
        await File.WriteAllTextAsync(source, Program);
        using var cc = Process.Start(new ProcessStartInfo("/usr/bin/mpicc", ["-o", exe, source]) { RedirectStandardError = true })!;
        var errors = cc.StandardError.ReadToEndAsync();
        await Await.Within(cc.WaitForExitAsync(), "mpicc");
        Assert.True(cc.ExitCode == 0, $"mpicc failed: {await errors}");
        return exe;
    }
}
