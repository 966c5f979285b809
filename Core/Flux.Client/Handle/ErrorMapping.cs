// How an exception thrown by plugin code becomes an RFC 6 errnum at a message boundary.
using System.Text.Json;
using Flux.Abstractions;

namespace Flux.Client.Handle;

/// <summary>Maps exceptions to errnum values for error responses.</summary>
public static class ErrorMapping
{
    /// <summary>The errnum an exception is answered with.</summary>
    public static int ToErrnum(Exception ex) => ex switch
    {
        FluxException fx => fx.Errnum,
        JsonException => Errno.EPROTO,
        ArgumentException or FormatException or InvalidCastException => Errno.EINVAL,
        KeyNotFoundException or FileNotFoundException or DirectoryNotFoundException => Errno.ENOENT,
        UnauthorizedAccessException => Errno.EPERM,
        NotSupportedException => Errno.EOPNOTSUPP,
        OperationCanceledException => Errno.ECANCELED,
        TimeoutException => Errno.ETIMEDOUT,
        OutOfMemoryException => Errno.ENOMEM,
        _ => Errno.EIO,
    };
}
