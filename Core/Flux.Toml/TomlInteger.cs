// A TOML integer value (64-bit signed, as TOML 1.0 requires).
using System.Globalization;

namespace Flux.Toml;

/// <summary>An integer written in decimal, hexadecimal, octal or binary.</summary>
public sealed class TomlInteger : TomlValue
{
    internal TomlInteger(long value, int line, int column) : base(line, column)
    {
        Value = value;
    }

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.Integer;

    /// <summary>The value.</summary>
    public long Value { get; }

    /// <inheritdoc/>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
