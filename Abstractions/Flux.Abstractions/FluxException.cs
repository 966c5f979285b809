// The exception that carries an RFC 6 errnum across message boundaries.
namespace Flux.Abstractions;

/// <summary>
/// An error with an errno value (RFC 6). Thrown by a message handler, it becomes an error response
/// with <see cref="Errnum"/> and the message text; received in a response, it is rethrown to the
/// requester. Formats throw it with <see cref="Abstractions.Errno.EINVAL"/> or
/// <see cref="Abstractions.Errno.ERANGE"/> for bad input.
/// </summary>
public class FluxException : Exception
{
    /// <summary>Creates an error with an errnum and a human-readable text (under 80 characters recommended).</summary>
    public FluxException(int errnum, string? message)
        : base(string.IsNullOrEmpty(message) ? Abstractions.Errno.Describe(errnum) : message)
    {
        Errnum = errnum;
    }

    /// <summary>Creates an error with an errnum, a text and the exception that caused it.</summary>
    public FluxException(int errnum, string? message, Exception? inner)
        : base(string.IsNullOrEmpty(message) ? Abstractions.Errno.Describe(errnum) : message, inner)
    {
        Errnum = errnum;
    }

    /// <summary>Creates an EINVAL error (required by the exception pattern).</summary>
    public FluxException() : this(Abstractions.Errno.EINVAL, null) { }

    /// <summary>Creates an EINVAL error with a text (required by the exception pattern).</summary>
    public FluxException(string message) : this(Abstractions.Errno.EINVAL, message) { }

    /// <summary>Creates an EINVAL error with a text and a cause (required by the exception pattern).</summary>
    public FluxException(string message, Exception innerException) : this(Abstractions.Errno.EINVAL, message, innerException) { }

    /// <summary>The errno value (Linux numbering).</summary>
    public int Errnum { get; }
}
