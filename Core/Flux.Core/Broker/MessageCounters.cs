// Per-connection message counters (flux-core's msgcounters).
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Core.Broker;

/// <summary>Counts messages sent (tx) and received (rx) by type, from the connection's point of view.</summary>
public sealed class MessageCounters
{
    private readonly long[] _tx = new long[4];
    private readonly long[] _rx = new long[4];

    internal void CountTx(MessageType t) => Interlocked.Increment(ref _tx[Index(t)]);

    internal void CountRx(MessageType t) => Interlocked.Increment(ref _rx[Index(t)]);

    /// <summary>Messages the connection sent.</summary>
    public long Sent => Total(_tx);

    /// <summary>Messages delivered to the connection.</summary>
    public long Received => Total(_rx);

    /// <summary>The counters as flux-core reports them (<c>request.tx</c>, <c>event.rx</c>, ...).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        string[] names = ["request", "response", "event", "control"];
        for (var i = 0; i < 4; i++)
        {
            o[names[i] + ".tx"] = Interlocked.Read(ref _tx[i]);
            o[names[i] + ".rx"] = Interlocked.Read(ref _rx[i]);
        }
        return o;
    }

    private static long Total(long[] counts)
    {
        long sum = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            sum += Interlocked.Read(ref counts[i]);
        }
        return sum;
    }

    internal void Clear()
    {
        Array.Clear(_tx);
        Array.Clear(_rx);
    }

    private static int Index(MessageType t) => t switch
    {
        MessageType.Request => 0,
        MessageType.Response => 1,
        MessageType.Event => 2,
        _ => 3,
    };
}
