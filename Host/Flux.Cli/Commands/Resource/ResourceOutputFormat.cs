// flux-core's flux.util.OutputFormat over PyFormat: the ?: +: ?+: column prefixes, h and + suffixes, !d dates.
using System.Text;
using Flux.Abstractions;
using Flux.Cli.Jobs;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

/// <summary>
/// The output formats of flux-core's Python tools (flux.util.OutputFormat) over
/// <see cref="PyFormat"/>: Python format fields <c>{name!conv:spec}</c>, the Flux spec suffixes
/// <c>+</c> (mark truncation) and <c>h</c> (dash when empty), <c>!d:STRFTIME::SPEC</c> (local date), <c>!F</c> (a duration as an FSD),
/// and the column prefixes <c>?:</c> (drop the column when empty everywhere), <c>+:</c> (widen it to
/// the longest value) and <c>?+:</c> (both). Bad formats are EINVAL errors.
/// </summary>
internal sealed class ResourceOutputFormat
{
    private static readonly string[] Sentinels = ["?+:", "+:", "?:"];
    private static readonly string[] EmptyOutputs = ["", "0s", "0.0", "0:00:00", "1970-01-01T00:00:00"];
    private readonly List<PyFormat.Part> _parts;
    private readonly IReadOnlyDictionary<string, string> _headings;

    public ResourceOutputFormat(string format, IReadOnlyDictionary<string, string> headings)
        : this(Parse(format), headings)
    {
        foreach (var f in Fields.Where(f => !headings.ContainsKey(f)))
        {
            throw new FluxException(Errno.EINVAL, "Unknown format field: " + f);
        }
    }

    private ResourceOutputFormat(List<PyFormat.Part> parts, IReadOnlyDictionary<string, string> headings)
    {
        _parts = parts;
        _headings = headings;
    }

    public IEnumerable<string> Fields => _parts.Where(t => t.Field is not null).Select(t => t.Field!);

    /// <summary>A copy without some fields (the text before them stays).</summary>
    public ResourceOutputFormat Without(params string[] fields) =>
        new([.. _parts.Select(t => t.Field is not null && fields.Contains(t.Field) ? t with { Field = null, Conversion = null, Spec = "" } : t)], _headings);

    /// <summary>What an item prints as in every field but <paramref name="except"/> (for merging like lines).</summary>
    public string Key(Func<string, object?> get, string[] except)
    {
        var sb = new StringBuilder();
        foreach (var t in _parts.Where(t => t.Field is not null && !except.Contains(t.Field)))
        {
            sb.Append(FormatField(get(t.Field!), t.Conversion, t.Text.EndsWith("+:", StringComparison.Ordinal) ? "" : t.Spec)).Append('\u0001');
        }
        return sb.ToString();
    }

    public void Print<T>(IReadOnlyList<T> items, Func<T, string, object?> get, bool noHeader, TextWriter w)
    {
        var parts = Filter(items, get, noHeader);
        if (!noHeader)
        {
            var header = new StringBuilder();
            foreach (var t in parts)
            {
                header.Append(t.Text);
                if (t.Field is not null)
                {
                    // Only the alignment and width of a field apply to its heading.
                    var spec = ParseSpec(t.Spec).Spec;
                    header.Append(Apply(_headings.GetValueOrDefault(t.Field, ""), $"{spec.Align}{spec.Width}"));
                }
            }
            w.WriteLine(header.ToString());
        }
        foreach (var item in items)
        {
            var line = new StringBuilder();
            foreach (var t in parts)
            {
                line.Append(t.Text);
                if (t.Field is not null)
                {
                    line.Append(FormatField(get(item, t.Field), t.Conversion, t.Spec));
                }
            }
            var s = line.ToString();
            if (!string.IsNullOrWhiteSpace(s))
            {
                w.WriteLine(s);
            }
        }
    }

    // flux-core's OutputFormat.filter(): apply the ?: +: ?+: column prefixes over all items.
    private List<PyFormat.Part> Filter<T>(IReadOnlyList<T> items, Func<T, string, object?> get, bool noHeader)
    {
        var result = new List<PyFormat.Part>();
        foreach (var t in _parts)
        {
            var sentinel = t.Field is null ? null : Sentinels.FirstOrDefault(s => t.Text.EndsWith(s, StringComparison.Ordinal));
            if (sentinel is null)
            {
                result.Add(t);
                continue;
            }
            var (spec, suffix) = ParseSpec(t.Spec);
            var maxWidth = spec.Width ?? 0;
            if (sentinel != "?:")
            {
                maxWidth = Math.Max(maxWidth, noHeader ? 0 : _headings.GetValueOrDefault(t.Field!, "").Length);
            }
            var width = 0;
            foreach (var item in items)
            {
                var s = FormatField(get(item, t.Field!), t.Conversion, "");
                var n = EmptyOutputs.Contains(s) ? 0 : s.Length;
                maxWidth = Math.Max(maxWidth, n);
                width = Math.Max(width, n);
            }
            if (width == 0 && sentinel != "+:")
            {
                // The whole column goes, with the text before it.
                continue;
            }
            var text = t.Text[..^sentinel.Length];
            if (sentinel == "?:")
            {
                result.Add(t with { Text = text });
                continue;
            }
            // As flux-core: widening a string field also widens a narrower precision.
            if (spec.Type is null or 's' && spec.Precision is { } p && p < maxWidth)
            {
                spec = spec with { Precision = maxWidth };
            }
            result.Add(t with { Text = text, Spec = spec.Render(maxWidth) + suffix });
        }
        return result;
    }

    private static string FormatField(object? value, string? conversion, string spec)
    {
        if (conversion == "d")
        {
            var seconds = value switch { double d => d, long l => l, int i => i, _ => 0.0 };
            var parts = spec.Split("::", 2);
            var text = seconds == 0 ? "" : PyTime.Strftime(PyTime.Local(seconds), parts[0].Length > 0 ? parts[0] : "%FT%T");
            var rest = parts.Length > 1 ? parts[1] : "";
            if (rest.EndsWith('h'))
            {
                text = text.Length == 0 ? "-" : text;
                rest = rest[..^1] + "s";
            }
            return rest.Length > 0 ? Apply(text, rest) : text;
        }
        if (conversion == "F")
        {
            // A duration in seconds as flux.util.fsd() prints it (inf for an unlimited one).
            return Apply(value switch { double d => PyTime.Fsd(d), long l => PyTime.Fsd(l), int i => PyTime.Fsd(i), _ => PyFormat.Str(value) }, spec);
        }
        if (conversion is not null)
        {
            throw new FluxException(Errno.EINVAL, $"Unknown conversion specifier {conversion}");
        }
        return Apply(value, spec);
    }

    // format(value, spec) plus the Flux suffixes: h (dash for an empty value), W (wide), + (mark truncation).
    private static string Apply(object? value, string spec)
    {
        var mark = spec.EndsWith('+');
        if (mark)
        {
            spec = spec[..^1];
        }
        var plain = PyFormat.Str(value);
        if (spec.EndsWith('h'))
        {
            value = EmptyOutputs.Contains(plain) ? "-" : plain;
            spec = spec[..^1] + "s";
        }
        if (spec.EndsWith('W'))
        {
            spec = spec[..^1] + "s";
        }
        string s;
        try
        {
            s = PyFormat.FormatValue(value, spec);
        }
        catch (FormatException ex)
        {
            throw new FluxException(Errno.EINVAL, ex.Message, ex);
        }
        return mark && s.Length < plain.Length && s.Length > 0 ? s[..^1] + "+" : s;
    }

    // A field's spec without a strftime part (before "::") and without the Flux suffixes h, W and +.
    private static (PyFormat.Spec Spec, string Suffix) ParseSpec(string spec)
    {
        var dc = spec.IndexOf("::", StringComparison.Ordinal);
        if (dc >= 0)
        {
            spec = spec[(dc + 2)..];
        }
        var core = spec.TrimEnd('h', 'W', '+');
        try
        {
            return (PyFormat.Spec.Parse(core), spec[core.Length..]);
        }
        catch (FormatException ex)
        {
            throw new FluxException(Errno.EINVAL, ex.Message, ex);
        }
    }

    private static List<PyFormat.Part> Parse(string format)
    {
        try
        {
            return [.. PyFormat.Parse(format).Select(p => p.Field is { } f && f.StartsWith("0.", StringComparison.Ordinal) ? p with { Field = f[2..] } : p)];
        }
        catch (FormatException ex)
        {
            throw new FluxException(Errno.EINVAL, $"invalid format '{format}': {ex.Message}", ex);
        }
    }
}
