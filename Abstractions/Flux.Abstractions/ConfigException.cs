// The error for a configuration value of the wrong type or form.
namespace Flux.Abstractions;

/// <summary>A configuration error (EINVAL) whose text names the file, table and key.</summary>
public sealed class ConfigException : FluxException
{
    /// <summary>Creates a configuration error with its full text.</summary>
    public ConfigException(string message) : base(Errno.EINVAL, message) { }

    /// <summary>Creates a configuration error with its text and cause.</summary>
    public ConfigException(string message, Exception innerException) : base(Errno.EINVAL, message, innerException) { }

    /// <summary>Creates a configuration error without text (required by the exception pattern).</summary>
    public ConfigException() : base(Errno.EINVAL, "invalid configuration") { }
}
