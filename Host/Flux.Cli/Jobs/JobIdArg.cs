// Parses job IDs given on the command line in any FLUID encoding (RFC 19).
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Jobs;

internal static class JobIdArg
{
    public static ulong Parse(string text)
    {
        if (Fluid.TryParse(text, out var id))
        {
            return id;
        }
        throw new FluxException(Errno.EINVAL, $"invalid jobid '{text}': expected a FLUID (f58 like ƒ2abc, decimal, hex, dothex, kvs or words)");
    }

    public static string F58(ulong id) => Fluid.Encode(id, Fluid.UseAsciiF58 ? FluidEncoding.F58Plain : FluidEncoding.F58);
}
