// flux-core 0.88's rexec (RFC 42 subprocess server) exchange: flux exec -r 0 true, every message in order.
using System.Text.Json.Nodes;

namespace Flux.Conformance.Tests;

/// <summary>
/// The rexec.exec request flux-core's <c>flux exec -r 0 true</c> sends and every response its broker
/// sent, in order, ending with ENODATA (flux-core-0.88-traces/exec.trace); the shapes are those of
/// src/common/libsubprocess/server.c and client.c (subprocess_rexec_get unpacks {s:s s?i s?i s?O s?O}).
/// </summary>
internal static class FluxCoreRexecFixtures
{
    public const string Source = "flux-core-0.88-traces/exec.trace; src/common/libsubprocess/server.c, client.c, src/common/libioencode/ioencode.c";

    /// <summary>The request: flags 11 is stdout | stderr | write-credit (client.h SUBPROCESS_REXEC_*).</summary>
    public const string ExecRequest =
        """{"cmd":{"cwd":"/home/user","cmdline":["true"],"env":{"PATH":"/usr/bin:/bin","HOME":"/home/user","FLUX_URI":"local:///tmp/flux-XXXXXX/local-0"},"opts":{},"channels":[],"msgchan":[]},"flags":11,"local_flags":0}""";

    /// <summary>The responses before the ENODATA that ends the stream (errnum 61, no payload).</summary>
    public static readonly string[] ExecResponses =
    [
        """{"type":"started","pid":15732}""",
        """{"type":"add-credit","channels":{"stdin":4194304}}""",
        """{"type":"finished","status":0}""",
        """{"type":"output","pid":15732,"io":{"stream":"stderr","rank":"0","eof":true}}""",
        """{"type":"output","pid":15732,"io":{"stream":"stdout","rank":"0","eof":true}}""",
    ];

    /// <summary>The errnum of the last response, which has no payload.</summary>
    public const int EndErrnum = 61;

    /// <summary>The request with <paramref name="cwd"/> for the trace's home directory and <paramref name="cmdline"/> for <c>true</c>.</summary>
    public static JsonObject Request(string cwd, params string[] cmdline)
    {
        var o = JsonNode.Parse(ExecRequest)!.AsObject();
        o["cmd"]!["cwd"] = cwd;
        if (cmdline.Length > 0)
        {
            o["cmd"]!["cmdline"] = new JsonArray([.. cmdline.Select(a => (JsonNode)a)]);
        }
        return o;
    }
}
