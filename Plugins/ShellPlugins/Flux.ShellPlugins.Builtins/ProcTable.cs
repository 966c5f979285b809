// The MPIR process table as flux-core's shell sends it (src/shell/mpir/proctable.c): four compressed lists.
using System.Text.Json.Nodes;

namespace Flux.ShellPlugins.Builtins;

/// <summary>
/// flux-core's encoding of an MPIR_proctable (proctable.c): <c>{hosts, executables, ids, pids, ranks}</c>,
/// each the list of one field for every task in the same order. <c>ids</c>, <c>pids</c> and <c>ranks</c>
/// (broker ranks) are rangelists (rangelist.c): each entry is an integer delta-encoded from the last value
/// of the entry before it, or <c>[start, n]</c> (n &gt; 0: start and the n following integers; n &lt; 0: start
/// repeated -n more times), with an optional third element repeating the pair that many more times.
/// <c>hosts</c> and <c>executables</c> are nodelists (nodelist.c): a string for a single name, or
/// <c>[prefix, rangelist]</c> of the numeric suffixes of consecutive names sharing a prefix (-1: no suffix).
/// </summary>
internal static class ProcTable
{
    /// <summary>Encodes the table; each task is (host, executable, task id, pid, broker rank).</summary>
    public static JsonObject Encode(IEnumerable<(string Host, string Executable, int TaskId, int Pid, int BrokerRank)> tasks)
    {
        var hosts = new NodeList();
        var executables = new NodeList();
        var ids = new RangeList();
        var pids = new RangeList();
        var ranks = new RangeList();
        foreach (var t in tasks)
        {
            hosts.Append(t.Host);
            executables.Append(t.Executable);
            ids.Append(t.TaskId);
            pids.Append(t.Pid);
            ranks.Append(t.BrokerRank);
        }
        return new JsonObject
        {
            ["hosts"] = hosts.ToJson(),
            ["executables"] = executables.ToJson(),
            ["ids"] = ids.ToJson(),
            ["pids"] = pids.ToJson(),
            ["ranks"] = ranks.ToJson(),
        };
    }

    /// <summary>rangelist.c: runs of consecutive integers and of one repeated integer.</summary>
    internal sealed class RangeList
    {
        private readonly List<Range> _ranges = [];

        public int Count => _ranges.Sum(r => (int)r.Size);

        public void Append(long n)
        {
            if (_ranges.Count > 0)
            {
                var r = _ranges[^1];
                if (!r.Rle && n == r.Max + 1)
                {
                    r.Size++;
                    return;
                }
                if (n == r.Min && (r.Rle || r.Size == 1))
                {
                    r.Rle = true;
                    r.Size++;
                    return;
                }
            }
            _ranges.Add(new Range { Min = n, Size = 1 });
        }

        public JsonArray ToJson()
        {
            var result = new JsonArray();
            long last = 0;
            foreach (var r in _ranges)
            {
                var delta = r.Min - last;
                var extent = r.Size - 1;
                if (extent == 0)
                {
                    result.Add(delta);
                }
                else if (result.Count > 0 && result[^1] is JsonArray prev
                    && prev[0]!.GetValue<long>() == delta && prev[1]!.GetValue<long>() == (r.Rle ? -extent : extent))
                {
                    // The same [delta, n] again: counted in the previous entry's third element.
                    if (prev.Count == 3)
                    {
                        prev[2] = prev[2]!.GetValue<long>() + 1;
                    }
                    else
                    {
                        prev.Add(1L);
                    }
                }
                else
                {
                    result.Add(new JsonArray(delta, r.Rle ? -extent : extent));
                }
                last = r.Max;
            }
            return result;
        }

        private sealed class Range
        {
            public long Min;
            public long Size;
            public bool Rle;

            public long Max => Rle ? Min : Min + Size - 1;
        }
    }

    /// <summary>nodelist.c: names split into a prefix and a numeric suffix, consecutive prefixes merged.</summary>
    internal sealed class NodeList
    {
        private readonly List<(string Prefix, RangeList Suffixes)> _lists = [];

        public void Append(string name)
        {
            var (prefix, suffix) = Split(name);
            if (_lists.Count > 0 && _lists[^1].Prefix == prefix)
            {
                _lists[^1].Suffixes.Append(suffix);
                return;
            }
            var suffixes = new RangeList();
            suffixes.Append(suffix);
            _lists.Add((prefix, suffixes));
        }

        public JsonArray ToJson()
        {
            var result = new JsonArray();
            foreach (var (prefix, suffixes) in _lists)
            {
                if (suffixes.Count == 1)
                {
                    // A single name is written whole.
                    var only = suffixes.ToJson()[0]!.GetValue<long>();
                    result.Add(only >= 0 ? prefix + only.ToString(System.Globalization.CultureInfo.InvariantCulture) : prefix);
                }
                else
                {
                    result.Add(new JsonArray(prefix, suffixes.ToJson()));
                }
            }
            return result;
        }

        /// <summary>hostname_split: trailing digits are the suffix (leading zeros but the last stay in the prefix); -1 for none.</summary>
        internal static (string Prefix, long Suffix) Split(string name)
        {
            var n = name.Length - 1;
            while (n >= 0 && char.IsAsciiDigit(name[n]))
            {
                n--;
            }
            while (n + 2 < name.Length && name[n + 1] == '0')
            {
                n++;
            }
            if (++n == name.Length || name.Length - n > 18)
            {
                return (name, -1);
            }
            return (name[..n], long.Parse(name.AsSpan(n), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
