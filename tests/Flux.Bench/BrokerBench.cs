// Broker benchmark: broker.ping round trips over local:// beside a bare unix-socket echo, and
// in-process router throughput.
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Core.Broker;
using Flux.Client.Connectors;
using Flux.Formats;

namespace Flux.Bench;

internal sealed class BrokerBench : IBench
{
    public string Name => "broker";

    public string Description => "ping RTT over local:// (1 and 8 clients) vs a bare unix-socket echo; router msgs/s";

    public async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20000;
        var options = new BrokerOptions { Rc1Modules = [], LoopName = "bench" };
        await using var broker = new Broker(options);
        await broker.StartAsync();
        var path = broker.LocalUri["local://".Length..];
        Console.WriteLine($"round trips per client: {count} (after {count / 10} warm-up), 64-byte payload");
        foreach (var clients in new[] { 1, 8 })
        {
            var echo = await EchoRoundTrips(clients, count);
            Print($"bare unix-socket echo, {clients} client(s)", echo);
            var ping = await PingRoundTrips(broker.LocalUri, clients, count);
            Print($"broker.ping over local://, {clients} client(s)", ping);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio broker/echo p50: {Percentile(ping, 50) / Percentile(echo, 50):F2}x"));
        }
        RouterThroughput(broker.Router);
    }

    private static void Print(string what, List<double> us)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-42} p50 {Percentile(us, 50),7:F1} us  p99 {Percentile(us, 99),7:F1} us  ({us.Count} samples)"));
    }

    private static double Percentile(List<double> v, double p)
    {
        var sorted = v.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p / 100))];
    }

    private static async Task<List<double>> PingRoundTrips(string uri, int clients, int count)
    {
        var handles = new List<Flux.Client.Handle.FluxHandle>();
        for (var i = 0; i < clients; i++)
        {
            handles.Add(await FluxConnect.OpenAsync(uri));
        }
        var all = new List<double>();
        var tasks = handles.Select(h => Task.Run(async () =>
        {
            var lat = new List<double>(count);
            var payload = Message.Request("broker.ping", new JsonObject { ["pad"] = new string('p', 48) }).Payload;
            for (var i = 0; i < count + count / 10; i++)
            {
                var t = Stopwatch.GetTimestamp();
                var req = new Message(MessageType.Request) { Topic = "broker.ping", NodeIdTarget = NodeId.Any };
                req.SetPayload(payload);
                await h.RequestAsync(req);
                if (i >= count / 10)
                {
                    lat.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
                }
            }
            return lat;
        })).ToList();
        foreach (var t in tasks)
        {
            all.AddRange(await t);
        }
        foreach (var h in handles)
        {
            await h.DisposeAsync();
        }
        return all;
    }

    private static async Task<List<double>> EchoRoundTrips(int clients, int count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"flux-bench-echo-{Environment.ProcessId}");
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(64);
        using var stop = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            var conns = new List<Task>();
            try
            {
                while (true)
                {
                    var s = await listener.AcceptAsync(stop.Token);
                    conns.Add(Task.Run(() => EchoServe(s)));
                }
            }
            catch (OperationCanceledException)
            {
                // Done.
            }
        });
        var msg = Message.Request("broker.ping", new JsonObject { ["pad"] = new string('p', 48) });
        msg.Matchtag = 1;
        var w = new ArrayBufferWriter<byte>();
        MessageCodec.EncodeWithPrefix(msg, w);
        var frame = w.WrittenMemory.ToArray();
        var tasks = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await s.ConnectAsync(new UnixDomainSocketEndPoint(path));
            var buf = new byte[frame.Length];
            var lat = new List<double>(count);
            for (var i = 0; i < count + count / 10; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await s.SendAsync(frame, SocketFlags.None);
                var got = 0;
                while (got < buf.Length)
                {
                    got += await s.ReceiveAsync(buf.AsMemory(got), SocketFlags.None);
                }
                // Decode as the broker's client would, so both sides pay for the codec.
                MessageCodec.Decode(buf.AsSpan(MessageCodec.PrefixSize));
                if (i >= count / 10)
                {
                    lat.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
                }
            }
            return lat;
        })).ToList();
        var all = new List<double>();
        foreach (var t in tasks)
        {
            all.AddRange(await t);
        }
        await stop.CancelAsync();
        await server;
        File.Delete(path);
        return all;
    }

    private static async Task EchoServe(Socket s)
    {
        using (s)
        {
            var buf = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var n = await s.ReceiveAsync(buf, SocketFlags.None);
                    if (n == 0)
                    {
                        return;
                    }
                    await s.SendAsync(buf.AsMemory(0, n), SocketFlags.None);
                }
            }
            catch (SocketException)
            {
                // Client went away.
            }
        }
    }

    private static void RouterThroughput(Router router)
    {
        var service = new TurnAround(router);
        router.AddService("bench", service);
        var senders = Enumerable.Range(0, 2).Select(i => new Sink($"bench-sender-{i}")).ToList();
        senders.ForEach(router.Attach);
        const int perThread = 2_000_000;
        var sw = Stopwatch.StartNew();
        Parallel.ForEach(senders, s =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var m = new Message(MessageType.Request) { Topic = "bench.echo", Matchtag = 1, NodeIdTarget = NodeId.Any };
                router.Route(s, m);
            }
        });
        sw.Stop();
        var messages = senders.Sum(s => s.Received) * 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"in-process router: {messages:N0} messages (requests + responses) in {sw.Elapsed.TotalSeconds:F2}s = {messages / sw.Elapsed.TotalSeconds:N0} msgs/s (2 threads)"));
    }

    private sealed class Sink(string id) : BrokerConnection(id, 0, FluxRole.Owner)
    {
        private long _received;

        public long Received => Interlocked.Read(ref _received);

        public override void Deliver(Message message) => Interlocked.Increment(ref _received);
    }

    private sealed class TurnAround : BrokerConnection
    {
        private readonly Router _router;

        public TurnAround(Router router) : base("bench", 0, FluxRole.Owner)
        {
            _router = router;
            router.Attach(this);
        }

        public override void Deliver(Message message)
        {
            message.Type = MessageType.Response;
            _router.Route(this, message);
        }
    }
}
