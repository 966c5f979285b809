// Many tasks at once: every one is reaped with its own status and output.
using Flux.Subprocess;
using static Flux.Subprocess.Tests.TaskRunner;

namespace Flux.Subprocess.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Start_TwoHundredConcurrentTasks_AllReaped()
    {
        const int Count = 200;
        var tasks = new List<TaskProcess>(Count);
        try
        {
            for (var i = 0; i < Count; i++)
            {
                tasks.Add(TaskProcess.Start(Command("sh", "-c", "echo $1; exit $(($1 % 7))", "sh", i.ToString())));
            }
            var results = await Task.WhenAll(tasks.Select((t, i) => CollectAsync(t, $"task {i}")));

            for (var i = 0; i < Count; i++)
            {
                Assert.Equal($"{i}\n", results[i].StdoutText);
                Assert.Equal(i % 7, WaitStatus.FluxExitCode(results[i].Status));
            }
        }
        finally
        {
            foreach (var task in tasks)
            {
                task.Dispose();
            }
        }
    }

    [Fact]
    public async Task Start_FromManyThreads_EachTaskGetsOnlyItsOwnOutput()
    {
        // Concurrent spawns must not leak one task's socket ends into another (all are close-on-exec).
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
            RunAsync(Command("sh", "-c", "echo $1; ls /proc/self/fd | wc -l", "sh", i.ToString())))));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($"{i}\n4\n", results[i].StdoutText);
        }
    }
}
