// Parses job IDs given on the command line in any FLUID encoding (RFC 19).
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Jobs;

internal static class JobIdArg
{
    /// <summary>A job ID in any FLUID encoding, with a hint at the encodings when it is none.</summary>
    public static ulong Parse(string text)
    {
        if (Fluid.TryParse(text, out var id))
        {
            return id;
        }
        throw new FluxException(Errno.EINVAL, $"invalid jobid '{text}': expected a FLUID (f58 like ƒ2abc, decimal, hex, dothex, kvs or words)");
    }

    /// <summary>A job ID as flux job info, eventlog and wait-event parse it, with their wording of the error.</summary>
    public static ulong ParseQuoted(string text) =>
        Fluid.TryParse(text, out var id) ? id : throw new FluxException(Errno.EINVAL, $"error parsing jobid: \"{text}\"");

    public static string F58(ulong id) => Fluid.Encode(id, Fluid.UseAsciiF58 ? FluidEncoding.F58Plain : FluidEncoding.F58);
}
