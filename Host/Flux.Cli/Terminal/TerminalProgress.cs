// Progress displays for long runs (flux submit --progress, queue drain, dump, restore), drawn on stderr only when it is a terminal.
using Spectre.Console;

namespace Flux.Cli.Terminal;

/// <summary>
/// Runs a command's work under a one-line Spectre.Console progress display on stderr. When stderr is
/// not a terminal (a pipe, a file, a test's captured output) the work runs with
/// <see cref="ProgressLine.None"/> and nothing at all is written; stdout is never touched either way.
/// Spectre.Console is loaded only here, so commands that show no progress do not pay for it.
/// </summary>
internal static class TerminalProgress
{
    /// <summary>Whether a progress display may be drawn: stderr is a terminal that is not "dumb".</summary>
    public static bool IsTerminal => !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>
    /// Runs <paramref name="work"/> with a progress line starting at <paramref name="text"/>; a null
    /// <paramref name="total"/> shows an indeterminate bar until <see cref="ProgressLine.Set"/> gives one.
    /// With <paramref name="keep"/> the last state stays on the screen, otherwise the line is erased.
    /// </summary>
    public static async Task<T> RunAsync<T>(string text, double? total, bool keep, Func<ProgressLine, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!IsTerminal)
        {
            return await work(ProgressLine.None).ConfigureAwait(false);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
        return await RunAsync(console, text, total, keep, work).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> under a progress display drawn on <paramref name="console"/>.</summary>
    internal static async Task<T> RunAsync<T>(IAnsiConsole console, string text, double? total, bool keep, Func<ProgressLine, Task<T>> work)
    {
        var progress = console.Progress()
            .AutoClear(!keep)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn());
        // The display hides the cursor while it draws; an interrupt must not leave it hidden.
        ConsoleCancelEventHandler showCursor = (_, _) => Console.Error.Write("\u001b[?25h");
        Console.CancelKeyPress += showCursor;
        try
        {
            return await progress.StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(text), autoStart: true, maxValue: Math.Max(total ?? 1, 1));
                task.IsIndeterminate = total is null;
                return await work(new ProgressLine(task)).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= showCursor;
        }
    }
}
