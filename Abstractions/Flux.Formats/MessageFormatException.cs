// The codec's own error for bytes that are not a well-formed RFC 3 message.
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>Malformed message bytes (EPROTO). The codec throws nothing else for bad input.</summary>
public sealed class MessageFormatException : FluxException
{
    /// <summary>Creates the error with a description of what was wrong.</summary>
    public MessageFormatException(string message) : base(Errno.EPROTO, message) { }

    /// <summary>Creates the error with a default text.</summary>
    public MessageFormatException() : base(Errno.EPROTO, "malformed message") { }

    /// <summary>Creates the error with a text and a cause.</summary>
    public MessageFormatException(string message, Exception innerException) : base(Errno.EPROTO, message, innerException) { }
}
