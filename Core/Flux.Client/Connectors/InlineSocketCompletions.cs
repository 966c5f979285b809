// Socket continuations run on the runtime's socket engine thread instead of being handed to a pool worker.
using System.Net.Sockets;

namespace Flux.Client.Connectors;

/// <summary>
/// A message arriving at a process at rest wakes the runtime's socket engine thread (epoll), which by
/// default hands the read's continuation to a thread-pool worker that must be woken too: two wake-ups
/// per message. With <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> the engine thread runs the
/// continuation itself, as flux-core's reactor thread runs its handlers. Measured with
/// <c>flux ping -i 0.001 broker</c> (p50, 300 pings, three interleaved rounds on a shared 2-core
/// machine): 308-458 us with neither, 249-291 us with the broker's alone, 218-226 us with both.
/// The runtime reads the variable once, when its socket engine starts; <see cref="Enable"/> sets it,
/// starts the engine with one receive that cannot complete, and removes it again, so that the
/// processes this one starts (an initial program, job shells, scripts) and the environment a job is
/// submitted with do not inherit it. A variable the user set is left as it is.
/// The code that continues after a socket read must then not block: the read loops hand messages on
/// (to the router, an actor's queue, a pending request) and return.
/// </summary>
public static class InlineSocketCompletions
{
    private const string Inline = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    private const string Threads = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>
    /// Turns inline completions on for this process, before its first socket operation; with
    /// <paramref name="engineThreads"/>, the number of engine threads too (a command with one
    /// connection needs one; by default the runtime runs one per processor when inlining).
    /// Does nothing when the user set the variable, or when the engine has already started.
    /// </summary>
    public static void Enable(int? engineThreads = null)
    {
        if (SetVariables(engineThreads) is { } setThreads)
        {
            StartEngineThenClear(setThreads);
        }
    }

    /// <summary>
    /// <see cref="Enable"/> on another thread: the variables are set now, so a socket this thread
    /// opens meanwhile starts the engine the same way; they are removed once the engine has started.
    /// Await the task before starting any process that must not inherit them.
    /// </summary>
    public static Task EnableInBackground(int? engineThreads = null) =>
        SetVariables(engineThreads) is { } setThreads
            ? Task.Run(() => StartEngineThenClear(setThreads))
            : Task.CompletedTask;

    // Sets the variables the engine reads; null when the user set the inline one (nothing to do),
    // else whether the thread count was set here too.
    private static bool? SetVariables(int? engineThreads)
    {
        if (Environment.GetEnvironmentVariable(Inline) is not null)
        {
            return null;
        }
        var setThreads = engineThreads is { } n && Environment.GetEnvironmentVariable(Threads) is null;
        Environment.SetEnvironmentVariable(Inline, "1");
        if (setThreads)
        {
            Environment.SetEnvironmentVariable(Threads, engineThreads!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return setThreads;
    }

    private static void StartEngineThenClear(bool setThreads)
    {
        try
        {
            StartEngine();
        }
        finally
        {
            Environment.SetEnvironmentVariable(Inline, null);
            if (setThreads)
            {
                Environment.SetEnvironmentVariable(Threads, null);
            }
        }
    }

    // A receive on a datagram socket nothing sends to goes pending, which registers the socket with
    // the engine and so starts it. The socket stays open, its receive pending, for the life of the
    // process (one descriptor, close-on-exec): closing it would cancel a receive the engine thread
    // may be processing at that moment, which the runtime waits out by spinning (sched_yield), and
    // that spin was 7% of a one-RPC command's CPU.
    private static Socket? s_engineStarter;

    private static void StartEngine()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _ = socket.ReceiveAsync(new ArraySegment<byte>(new byte[1]), SocketFlags.None);
        s_engineStarter = socket;
    }
}
