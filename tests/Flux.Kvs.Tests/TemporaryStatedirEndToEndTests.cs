// An instance started without a statedir keeps its content store in its rundir: kill -9 leaves nothing behind.
using System.Diagnostics;
using System.Globalization;

namespace Flux.Kvs.Tests;

public sealed class TemporaryStatedirEndToEndTests
{
    [Fact]
    public async Task Broker_KilledWithSignal9WithoutStatedir_NextStartRemovesTheContentStore()
    {
        var psi = new ProcessStartInfo(FluxProcess.FluxExe)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // flux start becomes the broker (execv): the initial program's parent is the broker.
        foreach (var a in new[] { "start", "sh", "-c", "echo \"$FLUX_URI $PPID\"; exec cat >/dev/null" })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("FLUX_URI");
        // A temporary directory of this test's own: every broker started removes the rundirs of dead
        // brokers it finds in its temporary directory, and another test's could take this one's
        // before the assertion below (seen in CI).
        var tmp = TempDirs.Create("flux-test-k9-tmp-");
        psi.Environment["TMPDIR"] = tmp;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            var line = await Await.Within(p.StandardOutput.ReadLineAsync(), "the instance's initial program to print its URI");
            if (line is null)
            {
                Assert.Fail($"flux start exited before its program ran: {await stderr}");
            }
            var words = line!.Split(' ');
            var rundir = Path.GetDirectoryName(words[0]["local://".Length..])!;
            var store = Path.Combine(rundir, "content-sqlite", "content.sqlite");
            Assert.True(File.Exists(store), $"{store}: no content store in the broker's rundir");

            Process.GetProcessById(int.Parse(words[1], CultureInfo.InvariantCulture)).Kill();
            p.StandardInput.Close();
            await Await.Within(p.WaitForExitAsync(), "the broker to die by SIGKILL");
            Assert.True(File.Exists(store), $"{store} went away with the killed broker: the test proves nothing");

            var next = await FluxProcess.RunAsync(["start", "true"], env: new Dictionary<string, string> { ["TMPDIR"] = tmp });
            Assert.True(next.ExitCode == 0, next.ToString());
            Assert.False(File.Exists(store), $"{store} of the killed broker was not removed by the next start");
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
        }
    }
}
