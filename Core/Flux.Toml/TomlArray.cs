// A TOML array: an inline [ ... ] array or an array of tables built by [[header]]s.
using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Flux.Toml;

/// <summary>
/// An array. Values may be of mixed types (TOML 1.0). An inline array is closed once written;
/// only an array of tables made by [[header]]s can be appended to by a later header.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "TOML calls it an array.")]
public sealed class TomlArray : TomlValue, IReadOnlyList<TomlValue>
{
    private TomlValue[] _items = [];
    private int _count;

    internal TomlArray(bool isArrayOfTables, int line, int column) : base(line, column)
    {
        IsArrayOfTables = isArrayOfTables;
    }

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.Array;

    /// <summary>True when built by [[header]]s, false for an inline array.</summary>
    public bool IsArrayOfTables { get; }

    /// <inheritdoc/>
    public int Count => _count;

    /// <inheritdoc/>
    public TomlValue this[int index] =>
        (uint)index < (uint)_count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Enumerates the items in order without allocating.</summary>
    public ArraySegment<TomlValue>.Enumerator GetEnumerator() => new ArraySegment<TomlValue>(_items, 0, _count).GetEnumerator();

    IEnumerator<TomlValue> IEnumerable<TomlValue>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(TomlValue value)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _count == 0 ? 4 : _count * 2);
        }
        _items[_count++] = value;
    }
}
