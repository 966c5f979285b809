// A TOML boolean value.
namespace Flux.Toml;

/// <summary>true or false.</summary>
public sealed class TomlBoolean : TomlValue
{
    internal TomlBoolean(bool value, int line, int column) : base(TomlValueKind.Boolean, line, column)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public bool Value { get; }

    /// <inheritdoc/>
    public override string ToString() => Value ? "true" : "false";
}
