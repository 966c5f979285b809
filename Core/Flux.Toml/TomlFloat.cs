// A TOML float value (IEEE 754 binary64).
using System.Globalization;

namespace Flux.Toml;

/// <summary>A float, including the special values inf, -inf and nan.</summary>
public sealed class TomlFloat : TomlValue
{
    internal TomlFloat(double value, int line, int column) : base(line, column)
    {
        Value = value;
    }

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.Float;

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <summary>The value as TOML (and toml-test) spell it: <c>inf</c>, <c>-inf</c>, <c>nan</c>, or the shortest round-trip form.</summary>
    public override string ToString() => Value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(Value) => "nan",
        _ => Value.ToString("R", CultureInfo.InvariantCulture),
    };
}
