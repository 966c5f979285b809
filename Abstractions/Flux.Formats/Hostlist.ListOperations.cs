// Delete, sort, uniq and set operations on RFC 29 hostlists, following flux-core's libhostlist.
namespace Flux.Formats;

public sealed partial class Hostlist
{
    /// <summary>
    /// A new list without the hosts of the hostlist string <paramref name="hosts"/>: for each host named
    /// there, the first remaining occurrence is removed (flux-core's hostlist_delete); hosts not in the
    /// list are ignored. Throws as <see cref="Parse"/> for a bad <paramref name="hosts"/>.
    /// </summary>
    public Hostlist Delete(string hosts)
    {
        var remove = Parse(hosts);
        var pending = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in remove)
        {
            pending[name] = pending.GetValueOrDefault(name) + 1;
        }
        var builder = new HostlistBuilder();
        foreach (var item in Items())
        {
            var name = item.Host(0);
            if (pending.TryGetValue(name, out var n) && n > 0)
            {
                pending[name] = n - 1;
                continue;
            }
            builder.Append(item);
        }
        return builder.Build();
    }

    /// <summary>A new list with the same hosts sorted as flux-core's hostlist_sort() orders them (prefix, then number); repeats are kept.</summary>
    public Hostlist Sort() => Rebuild(Sorted(Items()), unique: false);

    /// <summary>A new list sorted like <see cref="Sort"/> with repeated names removed (flux-core's hostlist_uniq).</summary>
    public Hostlist Uniq() => Rebuild(Sorted(Items()), unique: true);

    /// <summary>The hosts in either list, sorted and without repeats.</summary>
    public Hostlist Union(Hostlist other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Rebuild(Sorted(Items().Concat(other.Items())), unique: true);
    }

    /// <summary>The hosts in both lists, sorted and without repeats.</summary>
    public Hostlist Intersect(Hostlist other)
    {
        var names = NameSet(other);
        return Rebuild(Sorted(Items().Where(i => names.Contains(i.Host(0)))), unique: true);
    }

    /// <summary>The hosts of this list that are not in <paramref name="other"/>, sorted and without repeats.</summary>
    public Hostlist Minus(Hostlist other)
    {
        var names = NameSet(other);
        return Rebuild(Sorted(Items().Where(i => !names.Contains(i.Host(0)))), unique: true);
    }

    /// <summary>The hosts in exactly one of the two lists, sorted and without repeats.</summary>
    public Hostlist Xor(Hostlist other)
    {
        var theirs = NameSet(other);
        var mine = NameSet(this);
        var items = Items().Where(i => !theirs.Contains(i.Host(0)))
            .Concat(other.Items().Where(i => !mine.Contains(i.Host(0))));
        return Rebuild(Sorted(items), unique: true);
    }

    // Every host as a one-member range, keeping its prefix and width.
    private IEnumerable<HostRange> Items()
    {
        foreach (var hr in _ranges)
        {
            if (hr.Single)
            {
                yield return hr;
                continue;
            }
            for (var n = hr.Lo; ; n++)
            {
                yield return hr with { Lo = n, Hi = n };
                if (n == hr.Hi)
                {
                    break;
                }
            }
        }
    }

    private static HashSet<string> NameSet(Hostlist list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return new HashSet<string>(list, StringComparer.Ordinal);
    }

    // A stable sort with flux-core's hostrange_cmp(); ties keep their original order.
    private static HostRange[] Sorted(IEnumerable<HostRange> items)
    {
        var array = items.ToArray();
        var order = new int[array.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        Array.Sort(order, (x, y) =>
        {
            var c = HostRange.Compare(array[x], array[y]);
            return c != 0 ? c : x.CompareTo(y);
        });
        var result = new HostRange[array.Length];
        for (var i = 0; i < order.Length; i++)
        {
            result[i] = array[order[i]];
        }
        return result;
    }

    private static Hostlist Rebuild(HostRange[] items, bool unique)
    {
        var builder = new HostlistBuilder();
        var seen = unique ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var item in items)
        {
            if (seen is null || seen.Add(item.Host(0)))
            {
                builder.Append(item);
            }
        }
        return builder.Build();
    }
}
