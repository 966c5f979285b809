// The shell options the PMI plugin reads: -o pmi=LIST and -o pmi-simple.{kvs,exchange.k,nomap} (flux-shell-options(7)).
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.ShellPlugins.Pmi;

/// <summary>
/// What <c>-o pmi</c> and <c>-o pmi-simple</c> ask of the simple PMI server, checked as flux-core's
/// pmi-simple plugin checks them. The server is on unless <c>pmi</c> is given as a comma-separated
/// list without <c>simple</c> (<c>pmi1</c> and <c>pmi2</c> are its aliases, flux-core#5226): so
/// <c>-o pmi=off</c> or <c>-o pmi=pmix</c> turns it off. <c>pmi-simple.kvs</c> (exchange or native)
/// and <c>pmi-simple.exchange.k</c> choose how shells exchange keys; they are checked, and matter
/// only to a job spread over several shells.
/// </summary>
public sealed record PmiOptions(bool Enabled, bool NoMap)
{
    /// <summary>Reads the options; throws <see cref="FluxException"/> (EINVAL) with flux-core's message when one is malformed.</summary>
    public static PmiOptions Parse(JsonNode? pmi, JsonNode? pmiSimple)
    {
        var enabled = true;
        if (pmi is not null)
        {
            if (pmi is not JsonValue v || !v.TryGetValue(out string? list))
            {
                throw new FluxException(Errno.EINVAL, "pmi shell option must be a string");
            }
            enabled = list.Split(',').Any(m => m is "simple" or "pmi1" or "pmi2");
        }
        var nomap = false;
        if (pmiSimple is not null)
        {
            if (pmiSimple is not JsonObject o)
            {
                throw new FluxException(Errno.EINVAL, "error parsing pmi-simple shell option");
            }
            foreach (var (key, value) in o)
            {
                switch (key)
                {
                    case "kvs" when value is JsonValue s && s.TryGetValue(out string? name):
                        if (name is not ("exchange" or "native"))
                        {
                            throw new FluxException(Errno.EINVAL, $"Unknown kvs implementation {name}");
                        }
                        break;
                    case "exchange" when value is JsonObject ex && ex.Count <= 1 && (ex.Count == 0 || ex["k"] is JsonValue k && k.TryGetValue(out int _)):
                        break;
                    case "nomap" when value is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.TryGetValue(out int flag):
                        nomap = flag != 0;
                        break;
                    default:
                        throw new FluxException(Errno.EINVAL, $"option error: pmi-simple.{key}: expected kvs (a string), exchange.k (an integer) or nomap (an integer)");
                }
            }
        }
        return new PmiOptions(enabled, nomap);
    }
}
