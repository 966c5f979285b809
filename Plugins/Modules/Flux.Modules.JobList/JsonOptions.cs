// JSON output settings shared by the modules: compact, with non-ASCII and '+' left as they are (as jansson writes).
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Flux.Modules.JobList;

internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
