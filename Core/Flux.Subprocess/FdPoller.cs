// One epoll thread that reports readiness of non-socket descriptors (pty masters) to their FdReadiness.
namespace Flux.Subprocess;

// .NET has no asynchronous I/O for character devices (a FileStream over a pty would park a pool
// thread in read(2) per task), while sockets already ride the runtime's own epoll engine. Hence this
// small engine for ptys only. It runs while some descriptor is registered: the last unregistration
// stops the thread, so an unloaded plugin leaves nothing running.
internal sealed unsafe class FdPoller
{
    private const ulong WakeToken = 0;
    private static readonly Lock Gate = new();
    private static FdPoller? s_current;

    private readonly Dictionary<ulong, FdReadiness> _registered = [];
    private readonly int _epoll;
    private readonly int _wake;
    private ulong _nextToken = WakeToken + 1;
    private bool _stopping;

    private FdPoller()
    {
        _epoll = LibC.epoll_create1(LibC.EpollCloExec);
        if (_epoll < 0)
        {
            throw new IOException($"epoll_create1: {LibC.StrError(LibC.Errno)}");
        }
        _wake = LibC.eventfd(0, LibC.EfdCloExec);
        if (_wake < 0)
        {
            var errno = LibC.Errno;
            LibC.close(_epoll);
            throw new IOException($"eventfd: {LibC.StrError(errno)}");
        }
        var ev = new LibC.EpollEvent { Events = LibC.EpollIn, Data = WakeToken };
        LibC.epoll_ctl(_epoll, LibC.EpollCtlAdd, _wake, &ev);
        new Thread(Run) { IsBackground = true, Name = "flux task pty poller" }.Start();
    }

    /// <summary>The number of descriptors registered with the running poller (0 when none runs).</summary>
    public static int RegisteredCount
    {
        get
        {
            lock (Gate)
            {
                return s_current?._registered.Count ?? 0;
            }
        }
    }

    /// <summary>Watches a non-blocking descriptor; returns the token to unregister it with.</summary>
    public static ulong Register(int fd, FdReadiness readiness)
    {
        lock (Gate)
        {
            var poller = s_current ??= new FdPoller();
            var token = poller._nextToken++;
            // Edge-triggered: each new arrival of data (or room) is one event, and the registration
            // never needs re-arming. Adding an already-ready descriptor reports it at once.
            var ev = new LibC.EpollEvent
            {
                Events = LibC.EpollIn | LibC.EpollOut | LibC.EpollRdHup | LibC.EpollEt,
                Data = token,
            };
            if (LibC.epoll_ctl(poller._epoll, LibC.EpollCtlAdd, fd, &ev) < 0)
            {
                var errno = LibC.Errno;
                poller.StopIfIdle();
                throw new IOException($"epoll_ctl({fd}): {LibC.StrError(errno)}");
            }
            poller._registered.Add(token, readiness);
            return token;
        }
    }

    /// <summary>Stops watching a descriptor; call before closing it.</summary>
    public static void Unregister(int fd, ulong token)
    {
        lock (Gate)
        {
            if (s_current is not { } poller || !poller._registered.Remove(token))
            {
                return;
            }
            LibC.epoll_ctl(poller._epoll, LibC.EpollCtlDel, fd, null);
            poller.StopIfIdle();
        }
    }

    private void StopIfIdle()
    {
        if (_registered.Count > 0)
        {
            return;
        }
        _stopping = true;
        s_current = null;
        ulong one = 1;
        LibC.write(_wake, (byte*)&one, sizeof(ulong));
    }

    private void Run()
    {
        const int Capacity = 64;
        var events = stackalloc LibC.EpollEvent[Capacity];
        var ready = new List<(FdReadiness Readiness, uint Events)>(Capacity);
        while (true)
        {
            // With valid descriptors epoll_wait fails only with EINTR.
            var n = LibC.epoll_wait(_epoll, events, Capacity, -1);
            if (n < 0)
            {
                continue;
            }
            lock (Gate)
            {
                if (_stopping)
                {
                    break;
                }
                // Tokens of descriptors unregistered meanwhile are simply not found.
                for (var i = 0; i < n; i++)
                {
                    if (events[i].Data != WakeToken && _registered.TryGetValue(events[i].Data, out var readiness))
                    {
                        ready.Add((readiness, events[i].Events));
                    }
                }
            }
            foreach (var (readiness, mask) in ready)
            {
                readiness.OnEvents(mask);
            }
            ready.Clear();
        }
        LibC.close(_wake);
        LibC.close(_epoll);
    }
}
