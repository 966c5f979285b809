// KVS benchmark: single-key commits (1 and 8 clients), batched puts, cached lookups, content.sqlite size.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Core.Broker;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Bench;

internal sealed class KvsBench : IBench
{
    public string Name => "kvs";

    public string Description => "KVS over local://: commits/s (1, 8 clients), batched puts/s, cached lookups/s, content.sqlite size; in a statedir (journaled), or with --no-statedir in a temporary store";

    public async Task RunAsync(string[] args)
    {
        // A statedir (the durable case: commits journaled before they are answered) unless told
        // --no-statedir: a temporary store, as an instance started without -S statedir has.
        var durable = !args.Contains("--no-statedir");
        args = [.. args.Where(a => a != "--no-statedir")];
        var scale = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;
        var modules = FindModules();
        Console.WriteLine($"modules: {modules}");
        Console.WriteLine(durable ? "store: a statedir (durable: commits journaled before they are answered)" : "store: temporary (no statedir: commits answered without a journal)");
        Console.WriteLine("workload (same as a C API loop of flux_kvs_txn_put + flux_kvs_commit on flux-core):");
        var statedir = Directory.CreateTempSubdirectory("flux-bench-kvs-").FullName;
        try
        {
            await using (var broker = await StartAsync(modules, durable ? statedir : null))
            {
                await Commits(broker.LocalUri, 1, (int)(3000 * scale));
                await Commits(broker.LocalUri, 4, (int)(1000 * scale));
                await Commits(broker.LocalUri, 8, (int)(1000 * scale));
                await Batched(broker.LocalUri, (int)(30 * scale), 1000);
                await Lookups(broker.LocalUri, (int)(20000 * scale));
            }
            await Size(modules, (int)(100_000 * scale));
        }
        finally
        {
            Directory.Delete(statedir, recursive: true);
        }
    }

    private static async Task<Broker> StartAsync(string modules, string? statedir)
    {
        var options = new BrokerOptions { Rc1Modules = ["content", "content-sqlite", "kvs", "kvs-watch"] };
        options.Attributes["conf.module_path"] = modules;
        if (statedir is not null)
        {
            options.Attributes["statedir"] = statedir;
        }
        var broker = new Broker(options);
        await broker.StartAsync();
        return broker;
    }

    private static async Task Commits(string uri, int clients, int perClient)
    {
        var handles = new List<FluxHandle>();
        for (var c = 0; c < clients; c++)
        {
            handles.Add(await FluxConnect.OpenAsync(uri));
        }
        // Warm up (JIT, caches) with a tenth of the work.
        await Task.WhenAll(handles.Select((h, c) => CommitLoop(h, $"warm.c{clients}x{c}", perClient / 10)));
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(handles.Select((h, c) => CommitLoop(h, $"bench.c{clients}x{c}", perClient)));
        sw.Stop();
        var total = clients * perClient;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  single-key put+commit (key PREFIX.dN.kM, 100 keys per dir), {clients} client(s) x {perClient}: {total / sw.Elapsed.TotalSeconds,10:N0} commits/s ({sw.Elapsed.TotalMilliseconds * 1000 / perClient:F0} us per commit per client)"));
        foreach (var h in handles)
        {
            await h.DisposeAsync();
        }
    }

    private static Task CommitLoop(FluxHandle h, string prefix, int n) => Task.Run(async () =>
    {
        for (var i = 0; i < n; i++)
        {
            // 100 keys per directory, as job keys spread over job.XXXX.XXXX... directories.
            await Commit(h, new JsonArray(Op($"{prefix}.d{i / 100}.k{i % 100}", "v" + i.ToString(CultureInfo.InvariantCulture))));
        }
    });

    private static async Task Batched(string uri, int commits, int keys)
    {
        await using var h = await FluxConnect.OpenAsync(uri);
        var sw = new Stopwatch();
        for (var c = -1; c < commits; c++)
        {
            var ops = new JsonArray();
            for (var k = 0; k < keys; k++)
            {
                ops.Add(Op($"batch.b{c + 1}.k{k}", "v1"));
            }
            if (c == 0)
            {
                sw.Start();
            }
            await Commit(h, ops);
        }
        sw.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  batched puts, {keys} keys per commit x {commits}: {commits * keys / sw.Elapsed.TotalSeconds,10:N0} keys/s ({sw.Elapsed.TotalMilliseconds / commits:F1} ms per commit)"));
    }

    private static async Task Lookups(string uri, int n)
    {
        await using var h = await FluxConnect.OpenAsync(uri);
        await Commit(h, new JsonArray(Op("cached.key", "value")));
        var payload = Message.Request("kvs.lookup", new JsonObject { ["key"] = "cached.key", ["flags"] = 0, ["namespace"] = "primary" }).Payload;
        for (var i = 0; i < n / 10; i++)
        {
            await Lookup(h, payload);
        }
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            await Lookup(h, payload);
        }
        sw.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  lookup of a cached key, 1 client x {n}: {n / sw.Elapsed.TotalSeconds,10:N0} lookups/s ({sw.Elapsed.TotalMicroseconds / n:F0} us each)"));
    }

    private static async Task Size(string modules, int keys)
    {
        var statedir = Directory.CreateTempSubdirectory("flux-bench-kvs-size-").FullName;
        try
        {
            var sw = Stopwatch.StartNew();
            await using (var broker = await StartAsync(modules, statedir))
            {
                await using var h = await FluxConnect.OpenAsync(broker.LocalUri);
                const int perCommit = 1000;
                for (var c = 0; c < keys / perCommit; c++)
                {
                    var ops = new JsonArray();
                    for (var k = 0; k < perCommit; k++)
                    {
                        var id = c * perCommit + k;
                        ops.Add(Op($"size.d{id / 1000:D3}.k{id % 1000:D3}", "value-" + id.ToString(CultureInfo.InvariantCulture)));
                    }
                    await Commit(h, ops);
                }
            }
            sw.Stop();
            var size = new FileInfo(Path.Combine(statedir, "content.sqlite")).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  content.sqlite after {keys:N0} small keys (1,000 per commit, 1,000 per directory, clean shutdown): {size / 1048576.0:F1} MiB ({size / (double)keys:F0} bytes/key; {sw.Elapsed.TotalSeconds:F1}s)"));
        }
        finally
        {
            Directory.Delete(statedir, recursive: true);
        }
    }

    private static JsonObject Op(string key, string value) => new()
    {
        ["key"] = key,
        ["flags"] = 0,
        ["dirent"] = new JsonObject { ["ver"] = 1, ["type"] = "val", ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) },
    };

    private static Task<JsonObject?> Commit(FluxHandle h, JsonArray ops) =>
        h.RpcAsync("kvs.commit", new JsonObject { ["namespace"] = "primary", ["flags"] = 0, ["ops"] = ops });

    private static async Task Lookup(FluxHandle h, ReadOnlyMemory<byte> payload)
    {
        var req = new Message(MessageType.Request) { Topic = "kvs.lookup", NodeIdTarget = NodeId.Any };
        req.SetPayload(payload);
        await h.RequestAsync(req);
    }

    private static string FindModules()
    {
        var modules = Path.Combine(BenchRepo.Bin, "modules");
        if (!File.Exists(Path.Combine(modules, "Flux.Modules.Kvs", "Flux.Modules.Kvs.dll")))
        {
            throw new FileNotFoundException($"{modules}/Flux.Modules.Kvs is missing: build it first (dotnet build Plugins/Modules/Flux.Modules.Kvs -c Release)");
        }
        return modules;
    }
}
