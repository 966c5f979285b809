// End-to-end tests of flux-toml-decoder, run as a real process the way toml-test's runner drives it.
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Flux.Toml.Tests;

public sealed class DecoderTests
{
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(byte[] stdin)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "flux-toml-decoder.dll"));
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.BaseStream.WriteAsync(stdin, timeout.Token);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail("flux-toml-decoder did not exit within 60 s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Main_ValidToml_PrintsTaggedJsonAndExitsZero()
    {
        var (exit, stdout, stderr) = await RunAsync("a = 1\n[t]\ns = \"x\"\n"u8.ToArray());

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Null(TaggedJson.Difference(
            JsonNode.Parse("""{"a":{"type":"integer","value":"1"},"t":{"s":{"type":"string","value":"x"}}}"""),
            JsonNode.Parse(stdout)));
    }

    [Fact]
    public async Task Main_InvalidToml_PrintsErrorAndExitsOne()
    {
        var (exit, stdout, stderr) = await RunAsync("a = 1\na = 2\n"u8.ToArray());

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("<input>:2:1: duplicate key 'a' (first defined at line 1)", stderr.TrimEnd());
    }
}
