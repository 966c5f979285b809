// Payloads written without trees: Message.EncodeJson is NUL-terminated, nestable, and reusable
// after a write that failed half way.
using System.Text;
using Flux.Abstractions;

namespace Flux.Formats.Tests;

public sealed class PayloadEncodingTests
{
    [Fact]
    public void EncodeJson_IsNulTerminated_AndLeavesNonAsciiUnescaped()
    {
        var bytes = Message.EncodeJson("é+<", static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("s", s);
            w.WriteEndObject();
        });
        Assert.Equal(0, bytes[^1]);
        Assert.Equal("{\"s\":\"é+<\"}", Encoding.UTF8.GetString(bytes, 0, bytes.Length - 1));
    }

    [Fact]
    public void EncodeJson_InsideAnotherEncoding_DoesNotDisturbIt()
    {
        var outer = Message.EncodeJson(0, static (w, _) =>
        {
            w.WriteStartObject();
            var inner = Message.EncodeJson(0, static (w2, _) => w2.WriteNumberValue(7));
            w.WriteString("inner", Encoding.UTF8.GetString(inner, 0, inner.Length - 1));
            w.WriteEndObject();
        });
        Assert.Equal("{\"inner\":\"7\"}\0", Encoding.UTF8.GetString(outer));
    }

    [Fact]
    public void EncodeJson_AfterAWriteThatThrew_StartsClean()
    {
        Assert.Throws<InvalidOperationException>(() => Message.EncodeJson(0, static (w, _) =>
        {
            w.WriteStartObject();
            throw new InvalidOperationException("half written");
        }));
        var next = Message.EncodeJson(0, static (w, _) => w.WriteStringValue("ok"));
        Assert.Equal("\"ok\"\0", Encoding.UTF8.GetString(next));
    }
}
