// RFC 3 codec: layout, round trips, and refusal of malformed input.
using System.Buffers;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Core.Tests;

public sealed class MessageCodecTests
{
    [Fact]
    public void Encode_Request_MatchesRfc3Layout()
    {
        var m = Message.Request("a.b", null, 3);
        m.Matchtag = 7;
        m.UserId = 1000;
        m.RoleMask = FluxRole.User;
        m.Routes = ["origin", "hop"];
        m.SetString("x");
        var bytes = MessageCodec.Encode(m);
        // Routes are written most recent hop first, then the empty delimiter.
        byte[] expected =
        [
            3, (byte)'h', (byte)'o', (byte)'p',
            6, (byte)'o', (byte)'r', (byte)'i', (byte)'g', (byte)'i', (byte)'n',
            0,
            3, (byte)'a', (byte)'.', (byte)'b',
            2, (byte)'x', 0,
            20, 0x8E, 0x01, 0x01, 0x01 | 0x02 | 0x08,
            0, 0, 0x03, 0xE8,
            0, 0, 0, 2,
            0, 0, 0, 3,
            0, 0, 0, 7,
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Decode_EncodedMessages_RoundTrip()
    {
        foreach (var m in SampleMessages())
        {
            var back = MessageCodec.Decode(MessageCodec.Encode(m));
            Assert.Equal(m.Type, back.Type);
            Assert.Equal(m.Flags, back.Flags);
            Assert.Equal(m.Topic, back.Topic);
            Assert.Equal(m.Aux1, back.Aux1);
            Assert.Equal(m.Aux2, back.Aux2);
            Assert.Equal(m.UserId, back.UserId);
            Assert.Equal(m.RoleMask, back.RoleMask);
            Assert.Equal(m.HasPayload, back.HasPayload);
            Assert.Equal(m.Payload.ToArray(), back.Payload.ToArray());
            Assert.Equal(m.Routes, back.Routes);
        }
    }

    [Fact]
    public void Encode_LargePayload_UsesLongLengthForm()
    {
        var m = Message.Event("big");
        m.SetPayload(new byte[300]);
        var bytes = MessageCodec.Encode(m);
        Assert.Equal(0xFF, bytes[4]);
        Assert.Equal(300, (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8]);
        Assert.Equal(300, MessageCodec.Decode(bytes).Payload.Length);
    }

    [Fact]
    public void Prefix_IsFluxCoreHostOrderMagicAndExclusiveLength()
    {
        var w = new ArrayBufferWriter<byte>();
        var m = Message.Event("e");
        MessageCodec.EncodeWithPrefix(m, w);
        var span = w.WrittenSpan;
        Assert.Equal(new byte[] { 0x12, 0x00, 0xEE, 0xFF }, span[..4].ToArray());
        var size = MessageCodec.ReadPrefix(span);
        Assert.Equal(span.Length - MessageCodec.PrefixSize, size);
    }

    [Theory]
    [InlineData(new byte[] { }, "empty message")]
    [InlineData(new byte[] { 5, 1, 2 }, "runs past the end")]
    [InlineData(new byte[] { 3, 1, 2, 3 }, "proto frame is 3 bytes")]
    public void Decode_Malformed_ThrowsCodecError(byte[] data, string expected)
    {
        var ex = Assert.Throws<MessageFormatException>(() => MessageCodec.Decode(data));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(Errno.EPROTO, ex.Errnum);
    }

    [Fact]
    public void Decode_BadMagicOrVersion_ThrowsCodecError()
    {
        var bytes = MessageCodec.Encode(Message.Event("e"));
        var badMagic = (byte[])bytes.Clone();
        badMagic[^20] = 0x8F;
        Assert.Contains("magic", Assert.Throws<MessageFormatException>(() => MessageCodec.Decode(badMagic)).Message, StringComparison.Ordinal);
        var badVersion = (byte[])bytes.Clone();
        badVersion[^19] = 2;
        Assert.Contains("version", Assert.Throws<MessageFormatException>(() => MessageCodec.Decode(badVersion)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ResponseWithoutMatchtag_ThrowsCodecError()
    {
        var r = new Message(MessageType.Response) { Topic = "a.b", Matchtag = 0, Routes = [] };
        var ex = Assert.Throws<MessageFormatException>(() => MessageCodec.Decode(MessageCodec.Encode(r)));
        Assert.Contains("matchtag", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPrefix_BadMagicOrLength_ThrowsCodecError()
    {
        Assert.Throws<MessageFormatException>(() => MessageCodec.ReadPrefix(new byte[] { 1, 2, 3, 4, 0, 0, 0, 30 }));
        Assert.Throws<MessageFormatException>(() => MessageCodec.ReadPrefix(new byte[] { 0x12, 0, 0xEE, 0xFF, 0, 0, 0, 3 }));
        Assert.Throws<MessageFormatException>(() => MessageCodec.ReadPrefix(new byte[] { 0x12, 0, 0xEE }));
    }

    [Fact]
    public void Decode_100000MutatedMessages_OnlyCodecErrors()
    {
        var rng = new Random(20261122);
        var corpus = SampleMessages().Select(MessageCodec.Encode).ToArray();
        var decoded = 0;
        var refused = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var data = Mutate(corpus[rng.Next(corpus.Length)], rng);
            try
            {
                var m = MessageCodec.Decode(data);
                // Whatever decodes must encode again without error.
                MessageCodec.Encode(m);
                decoded++;
            }
            catch (MessageFormatException)
            {
                refused++;
            }
        }
        Assert.Equal(100_000, decoded + refused);
        Assert.True(refused > 10_000, $"only {refused} of 100,000 mutations were refused: the mutator is too gentle");
    }

    private static byte[] Mutate(byte[] src, Random rng)
    {
        var data = new List<byte>(src);
        var edits = rng.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            switch (rng.Next(6))
            {
                case 0 when data.Count > 0:
                    data[rng.Next(data.Count)] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[rng.Next(data.Count)] = (byte)rng.Next(256);
                    break;
                case 2:
                    data.Insert(rng.Next(data.Count + 1), (byte)rng.Next(256));
                    break;
                case 3 when data.Count > 0:
                    data.RemoveAt(rng.Next(data.Count));
                    break;
                case 4 when data.Count > 0:
                    var from = rng.Next(data.Count);
                    var len = rng.Next(1, Math.Min(16, data.Count - from) + 1);
                    data.InsertRange(rng.Next(data.Count + 1), data.GetRange(from, len));
                    break;
                default:
                    if (data.Count > 0)
                    {
                        var at = rng.Next(data.Count);
                        data.RemoveRange(at, data.Count - at);
                    }
                    break;
            }
        }
        return [.. data];
    }

    private static IEnumerable<Message> SampleMessages()
    {
        var req = Message.Request("kvs.lookup", new System.Text.Json.Nodes.JsonObject { ["key"] = "a.b" });
        req.Matchtag = 42;
        req.Routes = ["client-1"];
        yield return req;
        var resp = new Message(MessageType.Response) { Topic = "kvs.lookup", Matchtag = 42, Errnum = 2, Routes = [] };
        resp.SetString("No such key");
        yield return resp;
        var ev = Message.Event("job-state", new System.Text.Json.Nodes.JsonObject { ["n"] = 1 });
        ev.Sequence = 99;
        ev.Flags = MessageFlags.Private;
        yield return ev;
        yield return new Message(MessageType.Control) { Aux1 = 1, Aux2 = 2 };
        var big = Message.Request("content.store");
        big.SetPayload(Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray());
        big.Flags = MessageFlags.Streaming | MessageFlags.User1 | MessageFlags.NoResponse;
        yield return big;
    }
}
