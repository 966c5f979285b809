// A TOML string value, escapes already decoded.
namespace Flux.Toml;

/// <summary>A string value; multi-line strings have their CRLF line endings normalized to LF.</summary>
public sealed class TomlString : TomlValue
{
    internal TomlString(string value, int line, int column) : base(line, column)
    {
        Value = value;
    }

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.String;

    /// <summary>The decoded text.</summary>
    public string Value { get; }

    /// <inheritdoc/>
    public override string ToString() => Value;
}
