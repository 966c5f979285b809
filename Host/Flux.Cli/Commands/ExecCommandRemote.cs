// One process of flux exec: its rank, its rexec.exec request, its stdin credit and how it ended.
using Flux.Abstractions;

namespace Flux.Cli.Commands;

/// <summary>The state flux-exec.c keeps per subprocess; guarded by the session's lock where shared.</summary>
internal sealed class ExecCommandRemote(uint rank, Message request)
{
    public uint Rank { get; } = rank;

    /// <summary>The exec request; its matchtag (set once sent) names the process in rexec.write.</summary>
    public Message Request { get; } = request;

    /// <summary>Completes true once started, false if it ended before starting.</summary>
    public TaskCompletionSource<bool> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Pid { get; set; }

    /// <summary>Bytes of stdin the server will still take (add-credit adds, each write takes).</summary>
    public int Credits { get; set; }

    /// <summary>The wait status from the finished response.</summary>
    public int? Status { get; set; }

    /// <summary>Why the process failed (an error response, or the connection lost).</summary>
    public FluxException? Failure { get; set; }

    /// <summary>Whether its stream has ended.</summary>
    public bool Done { get; set; }

    /// <summary>Whether it takes stdin and signals: started, not exited, not failed.</summary>
    public bool Running => Pid > 0 && Status is null && Failure is null && !Done;

    public Task Completion { get; set; } = Task.CompletedTask;
}
