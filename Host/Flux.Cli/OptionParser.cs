// getopt_long-style parsing: --long, --long=VAL, --long VAL, -x, -xVAL, -x VAL, bundled -abc, "--".
namespace Flux.Cli;

internal static class OptionParser
{
    /// <summary>
    /// Parses <paramref name="args"/>. With <paramref name="stopAtPositional"/>, the first positional
    /// ends option parsing (for commands that take a COMMAND [ARGS...] to run).
    /// </summary>
    public static ParsedArgs Parse(string prog, IReadOnlyList<OptionSpec> specs, IReadOnlyList<string> args, bool stopAtPositional)
    {
        var result = new ParsedArgs { Prog = prog };
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                result.Positionals.AddRange(args.Skip(i + 1));
                break;
            }
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = a.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? a[2..] : a[2..eq];
                var spec = FindLong(specs, name) ?? throw new UsageException($"unrecognized option '--{name}'");
                if (spec.TakesValue)
                {
                    string value;
                    if (eq >= 0)
                    {
                        value = a[(eq + 1)..];
                    }
                    else if (i + 1 < args.Count)
                    {
                        value = args[++i];
                    }
                    else
                    {
                        throw new UsageException($"option '--{spec.Long}' requires an argument");
                    }
                    result.Add(spec.Long, value);
                }
                else
                {
                    if (eq >= 0)
                    {
                        throw new UsageException($"option '--{spec.Long}' doesn't allow an argument");
                    }
                    result.Add(spec.Long, "1");
                }
                continue;
            }
            if (a.Length > 1 && a[0] == '-' && !IsNegativeNumber(a))
            {
                for (var j = 1; j < a.Length; j++)
                {
                    var spec = specs.FirstOrDefault(s => s.Short == a[j]) ?? throw new UsageException($"invalid option -- '{a[j]}'");
                    if (!spec.TakesValue)
                    {
                        result.Add(spec.Long, "1");
                        continue;
                    }
                    if (j + 1 < a.Length)
                    {
                        result.Add(spec.Long, a[(j + 1)..]);
                    }
                    else if (i + 1 < args.Count)
                    {
                        result.Add(spec.Long, args[++i]);
                    }
                    else
                    {
                        throw new UsageException($"option requires an argument -- '{a[j]}'");
                    }
                    break;
                }
                continue;
            }
            if (stopAtPositional)
            {
                result.Positionals.AddRange(args.Skip(i));
                break;
            }
            result.Positionals.Add(a);
        }
        return result;
    }

    private static bool IsNegativeNumber(string a) => a.Length > 1 && char.IsAsciiDigit(a[1]);

    private static OptionSpec? FindLong(IReadOnlyList<OptionSpec> specs, string name)
    {
        var exact = specs.FirstOrDefault(s => s.Long == name);
        if (exact is not null)
        {
            return exact;
        }
        // Unique prefixes are accepted, as getopt_long does.
        var prefixed = specs.Where(s => s.Long.StartsWith(name, StringComparison.Ordinal)).ToList();
        return prefixed.Count == 1 && name.Length > 0 ? prefixed[0] : null;
    }
}
