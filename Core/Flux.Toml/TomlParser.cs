// Entry point of the TOML 1.0 parser: UTF-8 bytes in, a document tree out, or a located TomlException.
namespace Flux.Toml;

/// <summary>
/// A strict TOML 1.0 parser (https://toml.io/en/v1.0.0), held to the toml-test suite.
/// Input is UTF-8; one leading byte-order mark is allowed; lines end with LF or CRLF.
/// </summary>
public static class TomlParser
{
    /// <summary>
    /// The deepest a document may nest: every table or array between the root and a value counts
    /// one level, whether it comes from a [header], a dotted key, an array or an inline table
    /// (an array of tables counts two: the array and its element). Deeper input is a
    /// <see cref="TomlException"/>, so neither the parser nor a recursive consumer of the tree
    /// can exhaust the stack.
    /// </summary>
    public const int MaxDepth = 128;

    /// <summary>Parses a whole document.</summary>
    /// <param name="utf8">The document's bytes.</param>
    /// <param name="fileName">The name errors should carry; <c>&lt;input&gt;</c> when null.</param>
    /// <returns>The root table.</returns>
    /// <exception cref="TomlException">The input is not valid TOML 1.0; no other exception escapes.</exception>
    public static TomlTable Parse(ReadOnlySpan<byte> utf8, string? fileName = null)
    {
        var reader = new TomlReader(utf8, fileName);
        try
        {
            return reader.ParseDocument();
        }
        finally
        {
            reader.Dispose();
        }
    }
}
