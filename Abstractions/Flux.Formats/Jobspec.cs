// Reading jobspec text (RFC 14) into JSON, with errors that say where the text is broken.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>Helpers for jobspec documents (RFC 14). YAML input is converted elsewhere.</summary>
public static class Jobspec
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>
    /// Parses JSON text into a node. Throws <see cref="FluxException"/> (EINVAL) for invalid JSON,
    /// naming the 1-based line and column, or when the document is not a JSON object.
    /// </summary>
    public static JsonObject ParseJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new FluxException(Errno.EINVAL, $"jobspec: invalid JSON{where}: {e.Message}", e);
        }
        return node switch
        {
            JsonObject o => CheckDuplicates(o),
            _ => throw new FluxException(Errno.EINVAL, $"jobspec: must be a JSON object, not {JsonUtil.Describe(node)}"),
        };
    }

    /// <summary>Parses JSON text and validates it as a version 1 jobspec (<see cref="JobspecV1.Validate"/>).</summary>
    public static JsonObject ParseV1(string text)
    {
        var jobspec = ParseJson(text);
        JobspecV1.Validate(jobspec);
        return jobspec;
    }

    // JsonObject materialises lazily and rejects a repeated key only then; force it here so the
    // error is reported as bad input rather than escaping later as an ArgumentException.
    private static JsonObject CheckDuplicates(JsonObject o)
    {
        try
        {
            Walk(o);
        }
        catch (ArgumentException e)
        {
            throw new FluxException(Errno.EINVAL, $"jobspec: invalid JSON: {e.Message}", e);
        }
        return o;

        static void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject obj:
                    foreach (var (_, v) in obj)
                    {
                        Walk(v);
                    }
                    break;
                case JsonArray arr:
                    foreach (var v in arr)
                    {
                        Walk(v);
                    }
                    break;
            }
        }
    }
}
