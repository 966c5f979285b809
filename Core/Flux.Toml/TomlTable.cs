// A TOML table: keys in document order, with how the table was defined.
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Flux.Toml;

/// <summary>
/// A table. Keys keep the order in which they were defined. Lookups are ordinal; small tables
/// (most of them) are searched linearly, larger ones get a compact open-addressing index.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "TOML calls it a table.")]
public sealed class TomlTable : TomlValue, IReadOnlyDictionary<string, TomlValue>
{
    private const int IndexThreshold = 8;

    private KeyValuePair<string, TomlValue>[] _entries = [];
    private int _count;

    // Index of entries by key hash: slot holds entry index + 1, 0 when free; at most half full.
    private int[]? _slots;

    internal TomlTable(TomlTableKind definition, int line, int column) : base(line, column)
    {
        Definition = definition;
    }

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.Table;

    /// <summary>How the table was created; drives TOML's redefinition rules.</summary>
    public TomlTableKind Definition { get; internal set; }

    /// <inheritdoc/>
    public int Count => _count;

    /// <inheritdoc/>
    public TomlValue this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"key '{key}' is not in the table");

    /// <summary>The keys in document order.</summary>
    public IEnumerable<string> Keys
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _entries[i].Key;
            }
        }
    }

    /// <summary>The values in document order.</summary>
    public IEnumerable<TomlValue> Values
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _entries[i].Value;
            }
        }
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TomlValue value)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            value = null;
            return false;
        }
        value = _entries[i].Value;
        return true;
    }

    /// <summary>Enumerates the entries in document order without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, TomlValue>> IEnumerable<KeyValuePair<string, TomlValue>>.GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _entries[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<string, TomlValue>>)this).GetEnumerator();

    /// <summary>Looks a key up, returning its value or null.</summary>
    internal TomlValue? Find(string key)
    {
        var i = IndexOf(key);
        return i < 0 ? null : _entries[i].Value;
    }

    /// <summary>Adds a key the caller has checked is absent.</summary>
    internal void Add(string key, TomlValue value)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count == 0 ? 4 : _count * 2);
        }
        _entries[_count++] = new(key, value);
        if (_slots is not null && _count * 2 <= _slots.Length)
        {
            Insert(_slots, key, _count);
        }
        else if (_count > IndexThreshold)
        {
            var slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)_count * 4)];
            for (var i = 0; i < _count; i++)
            {
                Insert(slots, _entries[i].Key, i + 1);
            }
            _slots = slots;
        }
    }

    private static void Insert(int[] slots, string key, int slotValue)
    {
        var mask = slots.Length - 1;
        var i = key.GetHashCode() & mask;
        while (slots[i] != 0)
        {
            i = (i + 1) & mask;
        }
        slots[i] = slotValue;
    }

    private int IndexOf(string key)
    {
        if (_slots is { } slots)
        {
            var mask = slots.Length - 1;
            for (var i = key.GetHashCode() & mask; slots[i] != 0; i = (i + 1) & mask)
            {
                var e = slots[i] - 1;
                if (string.Equals(_entries[e].Key, key, StringComparison.Ordinal))
                {
                    return e;
                }
            }
            return -1;
        }
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>A struct enumerator over the entries in document order.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, TomlValue>>
    {
        private readonly TomlTable _table;
        private int _i;

        internal Enumerator(TomlTable table)
        {
            _table = table;
            _i = -1;
        }

        /// <inheritdoc/>
        public readonly KeyValuePair<string, TomlValue> Current => _table._entries[_i];

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc/>
        public bool MoveNext() => ++_i < _table._count;

        /// <inheritdoc/>
        public void Reset() => _i = -1;

        /// <inheritdoc/>
        public readonly void Dispose()
        {
        }
    }
}
