// The shell's PMI server as a user meets it: flux run -n4 flux pmi ..., -o pmi=off, PMI_Abort, and an
// MPICH program wired up by MPI_Init, with the shell in the broker and in a flux-shell host process.
namespace Flux.EndToEnd.Tests;

public sealed class PmiEndToEndTests : IDisposable
{
    private const string Allreduce = """
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

    private readonly string _dir = TempDirs.Create("flux-e2e-pmi-");

    public void Dispose() => Directory.Delete(_dir, true);

    private string Config(string shellHost) => ExecToml.Write(Path.Combine(_dir, shellHost), shellHost);

    [Theory]
    [InlineData("broker")]
    [InlineData("process")]
    public async Task FluxPmi_FourTaskJob_ExchangeBarrierAndPresetKeys(string shellHost)
    {
        var r = await FluxProcess.RunAsync("start", $"--config-path={Config(shellHost)}", "sh", "-c",
            "flux run -n4 flux pmi exchange --count=2 && flux run -n4 flux pmi barrier && " +
            "flux run -n4 --label-io flux pmi get --ranks=all PMI_process_mapping flux.taskmap && " +
            "flux run -n4 sh -c 'echo $PMI_RANK/$PMI_SIZE fd=$PMI_FD' | sort");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"(?m)^\S+: completed pmi exchange on 4 tasks in \d+\.\d{3}s\.\n\S+: completed pmi exchange on 4 tasks in \d+\.\d{3}s\.$", r.Stdout);
        Assert.Matches(@"(?m)^\S+: completed pmi barrier on 4 tasks in \d+\.\d{3}s\.$", r.Stdout);
        for (var rank = 0; rank < 4; rank++)
        {
            // The whole output on failure: which rank's line is missing, and what came instead.
            Assert.True(r.Stdout.Contains($"{rank}: (vector,(0,1,4))\n", StringComparison.Ordinal), r.ToString());
            Assert.True(r.Stdout.Contains($"{rank}: {{\"version\":1,\"map\":[[0,1,4,1]]}}\n", StringComparison.Ordinal), r.ToString());
            Assert.True(r.Stdout.Contains($"{rank}/4 fd=3\n", StringComparison.Ordinal), r.ToString());
        }
    }

    [Fact]
    public async Task PmiOff_NoPmiFd_BadOptionsRefusedByRun()
    {
        var r = await FluxProcess.RunAsync("start", $"--config-path={Config("broker")}", "sh", "-c",
            "flux run -o pmi=off sh -c 'echo fd=${PMI_FD:-none}'; flux run -o pmi=pmi2 sh -c 'echo fd=${PMI_FD:-none}'; " +
            "flux run -o pmi-simple.kvs=redis true; echo rc=$?");

        Assert.Contains("fd=none\nfd=3\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("pmi-simple.kvs", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("rc=1\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PmiAbort_OneRank_JobFailsWithTheMessage()
    {
        var r = await FluxProcess.RunAsync("start", $"--config-path={Config("broker")}", "sh", "-c",
            "flux run -n2 flux pmi barrier --test-abort=1; echo rc=$?; flux run echo next-job");

        Assert.Contains("PMI_Abort: flux-pmi: rank 1 is aborting", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("rc=0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("next-job\n", r.Stdout, StringComparison.Ordinal);
    }

    [MpiTheory]
    [InlineData("broker")]
    [InlineData("process")]
    public async Task Mpich_FourTasks_MpiInitWiresUpAndAllreduceSums(string shellHost)
    {
        var source = Path.Combine(_dir, "allreduce.c");
        await File.WriteAllTextAsync(source, Allreduce);
        var exe = Path.Combine(_dir, "allreduce");

        var r = await FluxProcess.RunAsync("start", $"--config-path={Config(shellHost)}", "sh", "-c",
            $"mpicc -o {exe} {source} && flux run -n4 --label-io {exe}");

        Assert.True(r.ExitCode == 0, r.ToString());
        for (var rank = 0; rank < 4; rank++)
        {
            Assert.Contains($"{rank}: rank {rank} of 4: sum 6\n", r.Stdout, StringComparison.Ordinal);
        }
    }
}
