// A TOML boolean value.
namespace Flux.Toml;

/// <summary>true or false.</summary>
public sealed class TomlBoolean : TomlValue
{
    internal TomlBoolean(bool value, int line, int column) : base(line, column)
    {
        Value = value;
    }

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.Boolean;

    /// <summary>The value.</summary>
    public bool Value { get; }

    /// <inheritdoc/>
    public override string ToString() => Value ? "true" : "false";
}
