// Throughput of the RFC data formats: hostlist codec (RFC 29), FLUID generation (RFC 19), idset ops (RFC 22).
using System.Diagnostics;
using System.Globalization;
using Flux.Formats;

namespace Flux.Bench;

internal sealed class FormatsBench : IBench
{
    // Results are folded into this field so the JIT cannot drop the measured work.
    private static int s_sink;

    public string Name => "formats";

    public string Description => "hostlist 16k-node codec, FLUID generation, idset ops on 100k-member sets";

    public Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;

        // 16,384 hosts with a gap every 7th number, so the encoding has thousands of ranges.
        var names = Enumerable.Range(0, 20_000).Where(i => i % 7 != 3).Take(16_384).Select(i => $"node{i}").ToList();
        var hostlist = new Hostlist(names);
        var hostText = hostlist.ToString();
        Console.WriteLine($"hostlist: {hostlist.Count} hosts, {hostText.Length} chars encoded");
        Measure("hostlist decode 16384 hosts", seconds, () => Hostlist.Parse(hostText).Count);
        Measure("hostlist encode 16384 hosts", seconds, () => hostlist.ToString().Length);
        Measure("hostlist nth (indexer)", seconds, () => hostlist[8191].Length);

        var generator = new FluidGenerator(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Measure("fluid generate", seconds, () => (int)generator.Next());
        var id = generator.Next();
        Measure("fluid encode f58", seconds, () => Fluid.Encode(id, FluidEncoding.F58Plain).Length);
        var f58 = Fluid.Encode(id, FluidEncoding.F58Plain);
        Measure("fluid parse f58", seconds, () => (int)Fluid.Parse(f58));

        // 100,000 members each: evens and multiples of three leave 50k-100k ranges to merge.
        var evens = new IdSet(Enumerable.Range(0, 100_000).Select(i => (uint)i * 2));
        var threes = new IdSet(Enumerable.Range(0, 100_000).Select(i => (uint)i * 3));
        var dense = IdSet.FromRange(50_000, 149_999);
        var evensText = evens.ToString();
        Console.WriteLine($"idset: {evens.Count} members in {evens.RangeCount} ranges ({evensText.Length} chars)");
        Measure("idset union 100k", seconds, () => (int)evens.Union(threes).Count);
        Measure("idset intersect 100k", seconds, () => (int)evens.Intersect(threes).Count);
        Measure("idset subtract 100k", seconds, () => (int)evens.Subtract(threes).Count);
        Measure("idset union 100k sparse+dense", seconds, () => (int)evens.Union(dense).Count);
        Measure("idset parse 100k", seconds, () => (int)IdSet.Parse(evensText).Count);
        Measure("idset encode 100k", seconds, () => evens.ToString().Length);
        return Task.CompletedTask;
    }

    private static void Measure(string label, double seconds, Func<int> op)
    {
        // Warm up so tiered JIT reaches optimised code before timing.
        var sink = 0;
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Min(0.2, seconds / 2))
        {
            sink += op();
        }
        long ops = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 8; i++)
            {
                sink += op();
            }
            ops += 8;
        }
        sw.Stop();
        s_sink = sink;
        var rate = ops / sw.Elapsed.TotalSeconds;
        var nsPerOp = sw.Elapsed.TotalMilliseconds * 1e6 / ops;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label,-32} {rate,14:N0} ops/s  {nsPerOp,12:N0} ns/op"));
    }
}
