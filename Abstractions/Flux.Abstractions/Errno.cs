// Linux errno values used on the wire as RFC 6 error numbers.
namespace Flux.Abstractions;

/// <summary>
/// Error numbers carried in response messages (RFC 6). The values are Linux's, as flux-core uses them.
/// </summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;
    /// <summary>No such file, key or object.</summary>
    public const int ENOENT = 2;
    /// <summary>No such process.</summary>
    public const int ESRCH = 3;
    /// <summary>Interrupted.</summary>
    public const int EINTR = 4;
    /// <summary>Input/output error.</summary>
    public const int EIO = 5;
    /// <summary>Argument list too long.</summary>
    public const int E2BIG = 7;
    /// <summary>Bad file descriptor.</summary>
    public const int EBADF = 9;
    /// <summary>No child processes (nothing to wait for).</summary>
    public const int ECHILD = 10;
    /// <summary>Resource temporarily unavailable.</summary>
    public const int EAGAIN = 11;
    /// <summary>Out of memory.</summary>
    public const int ENOMEM = 12;
    /// <summary>Permission denied.</summary>
    public const int EACCES = 13;
    /// <summary>Device or resource busy.</summary>
    public const int EBUSY = 16;
    /// <summary>Already exists.</summary>
    public const int EEXIST = 17;
    /// <summary>Not a directory.</summary>
    public const int ENOTDIR = 20;
    /// <summary>Is a directory.</summary>
    public const int EISDIR = 21;
    /// <summary>Invalid argument.</summary>
    public const int EINVAL = 22;
    /// <summary>Inappropriate ioctl for device (no terminal).</summary>
    public const int ENOTTY = 25;
    /// <summary>File too large.</summary>
    public const int EFBIG = 27;
    /// <summary>No space left.</summary>
    public const int ENOSPC = 28;
    /// <summary>Result out of range.</summary>
    public const int ERANGE = 34;
    /// <summary>Function not implemented: the unmatched-service error of RFC 6.</summary>
    public const int ENOSYS = 38;
    /// <summary>Directory not empty.</summary>
    public const int ENOTEMPTY = 39;
    /// <summary>Too many levels of symbolic links.</summary>
    public const int ELOOP = 40;
    /// <summary>No data: the normal end of a streaming response (RFC 6).</summary>
    public const int ENODATA = 61;
    /// <summary>Protocol error, e.g. a streaming request without the STREAMING flag.</summary>
    public const int EPROTO = 71;
    /// <summary>Value too large for the defined type.</summary>
    public const int EOVERFLOW = 75;
    /// <summary>Operation not supported.</summary>
    public const int EOPNOTSUPP = 95;
    /// <summary>Connection reset by peer.</summary>
    public const int ECONNRESET = 104;
    /// <summary>Connection timed out.</summary>
    public const int ETIMEDOUT = 110;
    /// <summary>Connection refused.</summary>
    public const int ECONNREFUSED = 111;
    /// <summary>No route to host: the target rank cannot be reached.</summary>
    public const int EHOSTUNREACH = 113;
    /// <summary>Operation canceled (RFC 6 cancel).</summary>
    public const int ECANCELED = 125;

    /// <summary>Returns the C library's text for an errno ("No such file or directory").</summary>
    public static string Describe(int errnum) => errnum switch
    {
        EPERM => "Operation not permitted",
        ENOENT => "No such file or directory",
        ESRCH => "No such process",
        EINTR => "Interrupted system call",
        EIO => "Input/output error",
        E2BIG => "Argument list too long",
        EBADF => "Bad file descriptor",
        ECHILD => "No child processes",
        EAGAIN => "Resource temporarily unavailable",
        ENOMEM => "Cannot allocate memory",
        EACCES => "Permission denied",
        EBUSY => "Device or resource busy",
        EEXIST => "File exists",
        ENOTDIR => "Not a directory",
        EISDIR => "Is a directory",
        EINVAL => "Invalid argument",
        ENOTTY => "Inappropriate ioctl for device",
        EFBIG => "File too large",
        ENOSPC => "No space left on device",
        ERANGE => "Numerical result out of range",
        ENOSYS => "Function not implemented",
        ENOTEMPTY => "Directory not empty",
        ELOOP => "Too many levels of symbolic links",
        ENODATA => "No data available",
        EPROTO => "Protocol error",
        EOVERFLOW => "Value too large for defined data type",
        EOPNOTSUPP => "Operation not supported",
        ECONNRESET => "Connection reset by peer",
        ETIMEDOUT => "Connection timed out",
        ECONNREFUSED => "Connection refused",
        EHOSTUNREACH => "No route to host",
        ECANCELED => "Operation canceled",
        _ => $"Unknown error {errnum}",
    };
}
