// The local terminal in raw mode while attached to a job's pseudo-terminal (flux job attach, flux run --pty).
using System.Runtime.InteropServices;

namespace Flux.Cli.Jobs;

/// <summary>
/// Puts standard input's terminal in raw mode (cfmakeraw: no echo, no line editing, no signals from
/// keys) and restores it when disposed. Then every key, Ctrl-C and Ctrl-D included, goes to the job's
/// pty, whose own line discipline echoes, edits and turns Ctrl-C into SIGINT for the task, as with
/// flux-core's attach to a pty job. The termios structure is kept opaque (a buffer larger than any
/// libc's), so no layout is assumed.
/// </summary>
internal sealed class RawTerminal : IDisposable
{
    private const int StdinFd = 0;
    private const int StdoutFd = 1;
    private const int TcsaNow = 0;
    private readonly byte[] _saved = new byte[256];
    private bool _restored;
    private bool _treatControlC;

    private RawTerminal()
    {
    }

    /// <summary>Raw mode on standard input when it is a terminal; null (nothing changed) otherwise.</summary>
    public static RawTerminal? TryEnter()
    {
        try
        {
            if (isatty(StdinFd) != 1)
            {
                return null;
            }
            var t = new RawTerminal();
            if (tcgetattr(StdinFd, t._saved) != 0)
            {
                return null;
            }
            // .NET keeps its own idea of ISIG and applies it again: tell it too, or Ctrl-C stays a signal.
            t._treatControlC = Console.TreatControlCAsInput;
            Console.TreatControlCAsInput = true;
            var raw = (byte[])t._saved.Clone();
            cfmakeraw(raw);
            if (tcsetattr(StdinFd, TcsaNow, raw) == 0)
            {
                return t;
            }
            Console.TreatControlCAsInput = t._treatControlC;
            return null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Restores the terminal as it was.</summary>
    public void Dispose()
    {
        if (!_restored)
        {
            _restored = true;
            _ = tcsetattr(StdinFd, TcsaNow, _saved);
            Console.TreatControlCAsInput = _treatControlC;
            // .NET's console switched the terminal to application cursor keys and keypad (smkx) and
            // never switches it back (dotnet/corefx#32805): without this, arrow keys stay in SS3 form
            // after flux run --pty exits, which breaks ksh and some readline setups.
            if (isatty(StdoutFd) == 1 && Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb")
            {
                using var stdout = Console.OpenStandardOutput();
                stdout.Write("\u001b[?1l\u001b>"u8);
                stdout.Flush();
            }
        }
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int isatty(int fd);

    [DllImport("libc", SetLastError = false)]
    private static extern int tcgetattr(int fd, [Out] byte[] termios);

    [DllImport("libc", SetLastError = false)]
    private static extern int tcsetattr(int fd, int optionalActions, [In] byte[] termios);

    [DllImport("libc", SetLastError = false)]
    private static extern void cfmakeraw([In, Out] byte[] termios);
}
