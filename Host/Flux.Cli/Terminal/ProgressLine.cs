// One progress display's state as a command reports it: a count towards a total and a text.
using Spectre.Console;

namespace Flux.Cli.Terminal;

/// <summary>
/// What a long-running command updates while it works. Safe to call from several tasks at once.
/// <see cref="None"/> is the line of a run whose stderr is not a terminal: every call does nothing.
/// </summary>
internal sealed class ProgressLine
{
    private readonly ProgressTask? _task;
    private readonly Lock _gate = new();
    private double _done;

    internal ProgressLine(ProgressTask? task)
    {
        _task = task;
    }

    /// <summary>The line that shows nothing.</summary>
    public static ProgressLine None { get; } = new(null);

    /// <summary>Whether anything is shown (false when stderr is not a terminal).</summary>
    public bool Shown => _task is not null;

    /// <summary>Counts <paramref name="n"/> more units done; <paramref name="describe"/> turns the new count into the text.</summary>
    public void Advance(double n = 1, Func<double, string>? describe = null)
    {
        if (_task is null)
        {
            return;
        }
        lock (_gate)
        {
            // Counted here: an indeterminate task's value stops at its maximum.
            _done += n;
            _task.Value = _done;
            if (describe is not null)
            {
                _task.Description = Markup.Escape(describe(_done));
            }
        }
    }

    /// <summary>Sets the units done, and the total when it is known (it may grow); a null total keeps it.</summary>
    public void Set(double done, double? total = null)
    {
        if (_task is null)
        {
            return;
        }
        lock (_gate)
        {
            if (total is { } t)
            {
                _task.MaxValue = Math.Max(t, 1);
                _task.IsIndeterminate = false;
            }
            _done = done;
            _task.Value = done;
        }
    }

    /// <summary>Replaces the text shown before the bar.</summary>
    public void Describe(string text)
    {
        if (_task is null)
        {
            return;
        }
        lock (_gate)
        {
            _task.Description = Markup.Escape(text);
        }
    }
}
