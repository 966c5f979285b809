// The flags of a rexec.exec request (src/common/libsubprocess/client.h) and its local_flags (subprocess.h).
namespace Flux.Core.Rexec;

/// <summary>RFC 42 exec flags: which output is forwarded, and whether stdin credit is granted.</summary>
[Flags]
internal enum RexecFlags
{
    None = 0,

    /// <summary>SUBPROCESS_REXEC_STDOUT: stdout is sent in output responses.</summary>
    Stdout = 1,

    /// <summary>SUBPROCESS_REXEC_STDERR: stderr is sent in output responses.</summary>
    Stderr = 2,

    /// <summary>SUBPROCESS_REXEC_CHANNEL: auxiliary channel output is sent (there are none here).</summary>
    Channel = 4,

    /// <summary>SUBPROCESS_REXEC_WRITE_CREDIT: add-credit responses tell how much stdin may be sent.</summary>
    WriteCredit = 8,

    /// <summary>SUBPROCESS_REXEC_WAITABLE: a background process stays a zombie until rexec.wait.</summary>
    Waitable = 16,
}

/// <summary>The FLUX_SUBPROCESS_FLAGS_* a client may pass as <c>local_flags</c>.</summary>
internal static class RexecLocalFlags
{
    /// <summary>The child inherits the server's stdio: refused, the broker's terminal is not the client's.</summary>
    public const int StdioFallthrough = 1;

    /// <summary>No process group of its own: refused, a signal goes to the process's group.</summary>
    public const int NoSetpgrp = 2;

    /// <summary>fork+exec instead of posix_spawn: how the process is started is not observable, accepted.</summary>
    public const int ForkExec = 4;

    /// <summary>The client's own unbuffered reads (flux exec sets it): no meaning to the server, accepted.</summary>
    public const int LocalUnbuf = 8;
}
