// The one exception a TOML parse (or a config-directory load) throws: a located, human-readable error.
using System.Globalization;

namespace Flux.Toml;

/// <summary>
/// A TOML or configuration error. The message reads <c>FILE:LINE:COLUMN: REASON</c>
/// (<c>&lt;input&gt;</c> when there is no file name), or <c>FILE: REASON</c> when the error has no
/// position (a whole-file problem), or just the reason when it concerns no file.
/// </summary>
public sealed class TomlException : Exception
{
    /// <summary>Creates an error located at a line and column (1-based; 0 when not located).</summary>
    public TomlException(string reason, string? fileName, int line, int column)
        : base(Format(reason, fileName, line, column))
    {
        Reason = reason;
        FileName = fileName;
        Line = line;
        Column = column;
    }

    /// <summary>Creates an error with its full text and no location.</summary>
    public TomlException(string message) : base(message)
    {
        Reason = message;
    }

    /// <summary>Creates an error with its full text and cause, and no location.</summary>
    public TomlException(string message, Exception innerException) : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>Creates an error without text (required by the exception pattern).</summary>
    public TomlException() : this("invalid TOML")
    {
    }

    /// <summary>The file the error is in, or null for anonymous input.</summary>
    public string? FileName { get; }

    /// <summary>The 1-based line, or 0 when the error has no position.</summary>
    public int Line { get; }

    /// <summary>The 1-based column in characters, or 0 when the error has no position.</summary>
    public int Column { get; }

    /// <summary>What was wrong, without the location prefix.</summary>
    public string Reason { get; }

    private static string Format(string reason, string? fileName, int line, int column) =>
        line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{fileName ?? "<input>"}:{line}:{column}: {reason}")
            : fileName is null ? reason : $"{fileName}: {reason}";
}
