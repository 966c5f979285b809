// The base of every node of a parsed TOML document: its kind and where it was defined.
namespace Flux.Toml;

/// <summary>
/// A node of a parsed document. Line and column (1-based, columns count characters) say where
/// the node was defined, so that a consumer can point at the source in its own errors.
/// </summary>
public abstract class TomlValue
{
    private protected TomlValue(int line, int column)
    {
        Line = line;
        Column = column;
    }

    /// <summary>What this node holds; each kind has its own sealed subclass (the date/time kinds share one).</summary>
    public abstract TomlValueKind Kind { get; }

    /// <summary>The 1-based line of the definition (0 for a node not read from text).</summary>
    public int Line { get; internal set; }

    /// <summary>The 1-based column, in characters, of the definition.</summary>
    public int Column { get; internal set; }
}
