// The kinds of node a TOML 1.0 document can hold.
using System.Diagnostics.CodeAnalysis;

namespace Flux.Toml;

/// <summary>What a <see cref="TomlValue"/> holds; the four date/time kinds follow TOML 1.0's names.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names of TOML 1.0's types.")]
public enum TomlValueKind
{
    /// <summary>A table: the root, a [header] table, a dotted-key table or an inline table.</summary>
    Table,

    /// <summary>An array, written inline or built by [[header]] array-of-tables.</summary>
    Array,

    /// <summary>A string (basic, literal, or either multi-line form).</summary>
    String,

    /// <summary>A 64-bit signed integer.</summary>
    Integer,

    /// <summary>An IEEE 754 binary64 float, including inf and nan.</summary>
    Float,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A date, time and UTC offset (RFC 3339 date-time).</summary>
    OffsetDateTime,

    /// <summary>A date and time without an offset.</summary>
    LocalDateTime,

    /// <summary>A date without a time.</summary>
    LocalDate,

    /// <summary>A time of day without a date.</summary>
    LocalTime,
}
