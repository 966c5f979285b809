// The progress display: drawn through Spectre.Console on a terminal, and nothing at all when stderr is not one.
using Flux.Cli.Terminal;
using Spectre.Console;

namespace Flux.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ProgressTests
{
    [Fact]
    public async Task RunAsync_StderrNotATerminal_RunsTheWorkWithNoDisplayAndWritesNothing()
    {
        // Test hosts run with redirected standard streams, as a pipe or a captured output would.
        Assert.False(TerminalProgress.IsTerminal, "stderr of the test host is a terminal");
        var stderr = Console.Error;
        using var e = new StringWriter();
        Console.SetError(e);
        try
        {
            var shown = await TerminalProgress.RunAsync("Submitting 3 jobs", 3, keep: true, p =>
            {
                p.Advance();
                p.Describe("PD+R:2 CD:1 F:0");
                p.Set(3, 3);
                return Task.FromResult(p.Shown);
            });
            Assert.False(shown);
        }
        finally
        {
            Console.SetError(stderr);
        }
        Assert.Equal("", e.ToString());
    }

    [Fact]
    public async Task RunAsync_OnAConsole_DrawsTheTextCountAndPercentage()
    {
        using var w = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(w),
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
        });
        var result = await TerminalProgress.RunAsync(console, "Submitting 4 jobs", 4, keep: true, async p =>
        {
            for (var i = 0; i < 4; i++)
            {
                p.Advance();
                await Task.Yield();
            }
            p.Describe("PD+R:0 CD:4 F:0 [done]");
            return p.Shown;
        });
        Assert.True(result);
        var text = w.ToString();
        Assert.Contains("PD+R:0 CD:4 F:0 [done]", text, StringComparison.Ordinal);
        Assert.Contains("100%", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownTotal_CountsPastTheIndeterminateMaximum()
    {
        using var w = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(w), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes });
        await TerminalProgress.RunAsync(console, "flux-dump: archived 0 keys", total: null, keep: true, p =>
        {
            for (var i = 0; i < 250; i++)
            {
                p.Advance(1, n => $"flux-dump: archived {n} keys");
            }
            return Task.FromResult(0);
        });
        Assert.Contains("flux-dump: archived 250 keys", w.ToString(), StringComparison.Ordinal);
    }
}
