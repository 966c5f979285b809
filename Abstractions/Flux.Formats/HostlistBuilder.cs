// Accumulates RFC 29 host ranges, merging adjacent compatible ones as flux-core's hostlist_append_range() does.
using Flux.Abstractions;

namespace Flux.Formats;

internal sealed class HostlistBuilder
{
    private readonly List<HostRange> _ranges = [];

    public long Count { get; private set; }

    public void Append(HostRange hr)
    {
        if (_ranges.Count > 0)
        {
            var tail = _ranges[^1];
            if (!hr.Single && !tail.Single && tail.Prefix == hr.Prefix && tail.Hi + 1 == hr.Lo)
            {
                int wt = tail.Width, wh = hr.Width;
                if (HostRange.WidthEquiv(tail.Lo, ref wt, hr.Lo, ref wh))
                {
                    _ranges[^1] = tail with { Hi = hr.Hi, Width = wt };
                    AddCount(hr.Count);
                    return;
                }
            }
        }
        _ranges.Add(hr);
        AddCount(hr.Count);
    }

    public void AppendHostName(string name) => Append(ParseHostName(name));

    public Hostlist Build() => Hostlist.FromRanges([.. _ranges], (int)Count);

    // flux-core's hostname_create(): a trailing run of digits is the number, the rest the prefix.
    public static HostRange ParseHostName(string name)
    {
        var end = name.Length - 1;
        while (end >= 0 && char.IsAsciiDigit(name[end]))
        {
            end--;
        }
        var digits = name.Length - 1 - end;
        // 19 digits always fit in a ulong; a longer numeric tail is kept as part of a literal name.
        if (digits == 0 || digits > 19)
        {
            return HostRange.Literal(name);
        }
        var num = ulong.Parse(name.AsSpan(end + 1), System.Globalization.CultureInfo.InvariantCulture);
        return new HostRange(name[..(end + 1)], num, num, digits, false);
    }

    private void AddCount(ulong n)
    {
        if ((ulong)Count + n > int.MaxValue)
        {
            throw new FluxException(Errno.ERANGE, $"hostlist has more than {int.MaxValue} hosts");
        }
        Count += (long)n;
    }
}
