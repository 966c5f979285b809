// flux job id: convert job IDs between the RFC 19 encodings, from arguments or one per line on stdin.
using System.Text;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class JobIdCommand : Command
{
    // Names as flux-core's flux_job_id_encode() takes them, in the order help lists them.
    private static readonly (string Name, FluidEncoding Encoding)[] Encodings =
    [
        ("dec", FluidEncoding.Dec),
        ("hex", FluidEncoding.Hex),
        ("kvs", FluidEncoding.Kvs),
        ("dothex", FluidEncoding.Dothex),
        ("words", FluidEncoding.Words),
        ("f58", FluidEncoding.F58),
        ("f58plain", FluidEncoding.F58Plain),
        ("emoji", FluidEncoding.Emoji),
    ];

    private static string EncodingList => string.Join('|', Encodings.Select(e => e.Name));

    public override string Name => "job id";

    public override string Summary => "Convert job IDs from any encoding to another (RFC 19 FLUID).";

    public override string Usage => "[--to=ENCODING] [--from=ENCODING] [ID...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("to", 't', "ENCODING", $"Print each ID in this encoding: {EncodingList} (default: dec)."),
        new("from", null, "ENCODING", "Require every input ID to be in this encoding (default: detect it)."),
    ];

    public override string Details => """
        Each ID is read from the arguments or, when there are none, one per line from stdin (blank
        lines are skipped). The input encoding is detected as flux-core does: a '.' means dothex
        (or kvs with its 'job.' prefix), a '-' means words, a leading 'ƒ' or 'f' means f58, an emoji
        means emoji, '0x' means hex, anything else is decimal. f58 prints the 'ƒ' prefix, or 'f' when
        FLUX_F58_FORCE_ASCII is set or the locale (LC_ALL, LC_CTYPE, LANG) is not UTF-8; f58plain
        always prints 'f'. The first malformed ID stops the command with exit code 1.

        Examples:
          flux job id --to=f58 6731191091817518
          echo ƒuZZybuNNy | flux job id --to=kvs
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        var to = ParseEncoding("to", args.Get("to") ?? "dec");
        var from = args.Get("from") is { } f ? ParseEncoding("from", f) : (FluidEncoding?)null;
        var inputs = args.Positionals.Count > 0 ? args.Positionals : ReadStdinIds();
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
        await using (stdout.ConfigureAwait(false))
        {
            var converted = 0;
            foreach (var input in inputs)
            {
                string output;
                try
                {
                    output = Fluid.Encode(Parse(input, from), to);
                }
                catch (FluxException)
                {
                    await stdout.FlushAsync(ct).ConfigureAwait(false);
                    throw;
                }
                await stdout.WriteAsync(output.AsMemory(), ct).ConfigureAwait(false);
                await stdout.WriteAsync("\n".AsMemory(), ct).ConfigureAwait(false);
                converted++;
            }
            if (converted == 0)
            {
                // flux-core exits 1 when there was nothing to convert, so a script notices empty input.
                throw new FluxException(Errno.EINVAL, "id: no job IDs on the command line or stdin");
            }
        }
        return 0;
    }

    private static IEnumerable<string> ReadStdinIds()
    {
        while (Console.In.ReadLine() is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return line;
            }
        }
    }

    private static FluidEncoding ParseEncoding(string option, string name)
    {
        foreach (var (n, e) in Encodings)
        {
            if (n == name)
            {
                return e;
            }
        }
        throw new UsageException($"--{option}: unknown encoding '{name}' (expected {EncodingList})");
    }

    private static ulong Parse(string input, FluidEncoding? from)
    {
        var s = input.Trim();
        if (from is { } want && !Accepts(want, Detect(s)))
        {
            throw new FluxException(Errno.EINVAL, $"id: '{s}': not in {NameOf(want)} form (it looks like {NameOf(Detect(s))})");
        }
        try
        {
            return Fluid.Parse(s);
        }
        catch (FluxException ex)
        {
            // The library names the input too ("invalid job id 'x' (decimal): fault"); say it once.
            var redundant = $"invalid job id '{s}' (";
            var close = ex.Message.IndexOf("): ", StringComparison.Ordinal);
            var reason = ex.Message.StartsWith(redundant, StringComparison.Ordinal) && close > redundant.Length
                ? $"malformed {ex.Message[redundant.Length..close]} job id: {ex.Message[(close + 3)..]}"
                : ex.Message;
            throw new FluxException(ex.Errnum, $"id: '{s}': {reason}", ex);
        }
    }

    private static string NameOf(FluidEncoding e) => Encodings.First(x => x.Encoding == e).Name;

    // f58 input may carry either prefix; every other encoding must be the one detected.
    private static bool Accepts(FluidEncoding want, FluidEncoding detected) =>
        want == detected || (want == FluidEncoding.F58 && detected == FluidEncoding.F58Plain);

    // The form Fluid.Parse will try, in flux-core's detection order (RFC 19 decoding rules).
    private static FluidEncoding Detect(string s)
    {
        if (s.Contains('.', StringComparison.Ordinal))
        {
            return s.StartsWith("job.", StringComparison.Ordinal) ? FluidEncoding.Kvs : FluidEncoding.Dothex;
        }
        if (s.Contains('-', StringComparison.Ordinal))
        {
            return FluidEncoding.Words;
        }
        if (s.StartsWith('\u0192'))
        {
            return FluidEncoding.F58;
        }
        if (s.StartsWith('f'))
        {
            return FluidEncoding.F58Plain;
        }
        if (Rune.DecodeFromUtf16(s, out var first, out _) == System.Buffers.OperationStatus.Done && first.Value is >= 0x1F000 and <= 0x1FFFF)
        {
            return FluidEncoding.Emoji;
        }
        return s.StartsWith("0x", StringComparison.Ordinal) ? FluidEncoding.Hex : FluidEncoding.Dec;
    }
}
