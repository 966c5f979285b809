// Limits instead of aborts: more clients than descriptors, and a client that never reads.
using System.Buffers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.EndToEnd.Tests;

public sealed class BrokerLimitsEndToEndTests
{
    [Fact]
    public async Task IdleClients_TwiceTheDescriptorLimit_RefusedBeyondTheCapAndBrokerAnswers()
    {
        await using var inst = await RunningInstance.StartAsync([], nofile: 1024);
        var sockets = new List<Socket>();
        var verdicts = new List<byte>();
        try
        {
            for (var i = 0; i < 2000; i++)
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                sockets.Add(s);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(inst.SocketPath));
                var b = new byte[1];
                Assert.Equal(1, await Await.Within(s.ReceiveAsync(b, SocketFlags.None), $"the broker's verdict on connection {i}"));
                verdicts.Add(b[0]);
            }
            var accepted = verdicts.Count(v => v == 0);
            Assert.InRange(accepted, 1, 768);
            Assert.Equal(2000 - accepted, verdicts.Count(v => v == Errno.EAGAIN));

            // The broker still answers on a connection it accepted.
            var client = sockets[verdicts.IndexOf(0)];
            var reply = await PingAsync(client, new string('x', 16));
            Assert.Contains("\"route\"", reply, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var s in sockets)
            {
                s.Dispose();
            }
        }
        var dmesg = await inst.FluxAsync("dmesg");
        Assert.Contains("clients are connected (broker.max-clients)", dmesg.Stdout, StringComparison.Ordinal);
        var (rc, stderr) = await inst.StopAsync();
        Assert.True(rc == 0, stderr);
    }

    [Fact]
    public async Task Client_NeverReadsItsReplies_IsDisconnectedAndBrokerStaysSmall()
    {
        await using var inst = await RunningInstance.StartAsync(["-S", "broker.client-queue-limit=16777216"]);
        var before = Rss(inst.BrokerPid);
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.ReceiveBufferSize = 4096;
        await s.ConnectAsync(new UnixDomainSocketEndPoint(inst.SocketPath));
        var b = new byte[1];
        await s.ReceiveAsync(b, SocketFlags.None);
        Assert.Equal(0, b[0]);
        var frame = Frame(new string('p', 64 * 1024), 1);
        var sent = 0;
        try
        {
            // 2,000 replies of 64 KiB would be 128 MiB waiting for this client.
            for (; sent < 2000; sent++)
            {
                await Await.Within(s.SendAsync(frame, SocketFlags.None), $"request {sent} to be sent");
            }
        }
        catch (SocketException)
        {
            // The broker hung up on this client: what the test waits for.
        }
        // Whatever was on its way still arrives, then the end of the stream (or a reset, since the
        // broker closed with unread requests): the broker closed the connection.
        var buf = new byte[1 << 20];
        try
        {
            while (await Await.Within(s.ReceiveAsync(buf, SocketFlags.None), "the broker to close the connection of a client that does not read") > 0)
            {
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Closed by the broker with this client's requests unread.
        }
        var grown = Rss(inst.BrokerPid) - before;
        Console.WriteLine($"broker RSS grew by {grown >> 20} MiB after {sent} unread 64 KiB replies");
        Assert.True(grown < 120L << 20, $"the broker grew by {grown >> 20} MiB for a client that does not read ({sent} requests sent)");
        var dmesg = await inst.FluxAsync("dmesg");
        Assert.Contains("bytes wait for it to read, more than broker.client-queue-limit (16777216)", dmesg.Stdout, StringComparison.Ordinal);
        var (rc, stderr) = await inst.StopAsync();
        Assert.True(rc == 0, stderr);
    }

    private static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private static byte[] Frame(string pad, uint matchtag)
    {
        var msg = Message.Request("broker.ping", new JsonObject { ["pad"] = pad });
        msg.Matchtag = matchtag;
        var w = new ArrayBufferWriter<byte>();
        MessageCodec.EncodeWithPrefix(msg, w);
        return w.WrittenMemory.ToArray();
    }

    private static async Task<string> PingAsync(Socket s, string pad)
    {
        await s.SendAsync(Frame(pad, 7), SocketFlags.None);
        var prefix = new byte[MessageCodec.PrefixSize];
        await ReadExactly(s, prefix);
        var body = new byte[MessageCodec.ReadPrefix(prefix)];
        await ReadExactly(s, body);
        var reply = MessageCodec.Decode(body);
        Assert.Equal(7u, reply.Matchtag);
        return reply.GetString() ?? string.Empty;
    }

    private static async Task ReadExactly(Socket s, byte[] buf)
    {
        var got = 0;
        while (got < buf.Length)
        {
            var n = await Await.Within(s.ReceiveAsync(buf.AsMemory(got), SocketFlags.None).AsTask(), "the broker's reply");
            Assert.True(n > 0, "the broker closed the connection");
            got += n;
        }
    }
}
