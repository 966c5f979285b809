// An initrc that failed: the message is Lua's ("initrc.lua:3: ..."), for the shell to fail the job with.
namespace Flux.Shell.Lua;

/// <summary>Thrown by <see cref="ShellRc.Run"/> when the rc file (or one it sources) fails, called <c>shell.die</c>, or ran out of time.</summary>
public sealed class ShellRcException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ShellRcException()
    {
    }

    /// <summary>Creates the exception with Lua's message.</summary>
    public ShellRcException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public ShellRcException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether the script called <c>shell.die</c> (the host has already logged FATAL and raised the exception).</summary>
    public bool Died { get; init; }
}
