// flux jobs output formats: flux-core's JobInfoFormat (headings, ?: collapsible and +: expandable fields, conversions).
using System.Text;
using System.Text.RegularExpressions;

namespace Flux.Cli.Jobs;

/// <summary>
/// A <c>flux jobs -o</c> format: Python <c>str.format</c> syntax over the fields of
/// <see cref="JobRecord"/>, with flux-core's additions: conversions <c>!d</c> (datetime, then
/// <c>strftime::spec</c>), <c>!D</c> (ISO date), <c>!F</c> (FSD duration), <c>!H</c> (H:MM:SS),
/// <c>!P</c> (percent); spec suffix <c>h</c> (empty, 0s, 0.0, 0:00:00 or the epoch print as
/// <c>-</c>) and <c>+</c> (mark truncation with <c>+</c>); prefix <c>?:</c> (drop the column when it
/// is empty for every job) and <c>+:</c> (widen the column to its longest value). Headers come from
/// the field names (<c>{id.f58}</c> → JOBID) with only the alignment and width of each spec.
/// </summary>
internal sealed partial class JobFormat
{
    /// <summary>Field name → column heading, as flux-core's JobInfoFormat.headings.</summary>
    public static readonly IReadOnlyDictionary<string, string> Headings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["id"] = "JOBID", ["id.dec"] = "JOBID", ["id.hex"] = "JOBID", ["id.f58"] = "JOBID", ["id.f58plain"] = "JOBID",
        ["id.emoji"] = "JOBID", ["id.kvs"] = "JOBID", ["id.words"] = "JOBID", ["id.dothex"] = "JOBID",
        ["userid"] = "UID", ["username"] = "USER", ["urgency"] = "URG", ["priority"] = "PRI",
        ["state"] = "STATE", ["state_single"] = "S", ["state_emoji"] = "STATE", ["name"] = "NAME", ["cwd"] = "CWD",
        ["queue"] = "QUEUE", ["project"] = "PROJECT", ["bank"] = "BANK", ["ntasks"] = "NTASKS", ["ncores"] = "NCORES",
        ["duration"] = "DURATION", ["nnodes"] = "NNODES", ["expiration"] = "EXPIRATION", ["t_remaining"] = "T_REMAINING",
        ["ranks"] = "RANKS", ["nodelist"] = "NODELIST", ["success"] = "SUCCESS", ["result"] = "RESULT",
        ["result_abbrev"] = "RS", ["result_emoji"] = "RESULT", ["t_submit"] = "T_SUBMIT", ["t_depend"] = "T_DEPEND",
        ["t_run"] = "T_RUN", ["t_cleanup"] = "T_CLEANUP", ["t_inactive"] = "T_INACTIVE", ["runtime"] = "RUNTIME",
        ["status"] = "STATUS", ["status_abbrev"] = "ST", ["status_emoji"] = "STATUS", ["waitstatus"] = "WSTATUS",
        ["returncode"] = "RC", ["exception.occurred"] = "EXCEPTION-OCCURRED", ["exception.severity"] = "EXCEPTION-SEVERITY",
        ["exception.type"] = "EXCEPTION-TYPE", ["exception.note"] = "EXCEPTION-NOTE", ["annotations"] = "ANNOTATIONS",
        ["dependencies"] = "DEPENDENCIES", ["contextual_info"] = "INFO", ["contextual_time"] = "TIME",
        ["inactive_reason"] = "INACTIVE-REASON",
        ["annotations.sched.t_estimate"] = "T_ESTIMATE", ["annotations.sched.reason_pending"] = "REASON",
        ["annotations.sched.resource_summary"] = "RESOURCES", ["sched"] = "SCHED", ["sched.t_estimate"] = "T_ESTIMATE",
        ["sched.reason_pending"] = "REASON", ["sched.resource_summary"] = "RESOURCES", ["user"] = "USER",
    };

    /// <summary>The named formats of flux-jobs(1) (<c>-o NAME</c>).</summary>
    public static readonly IReadOnlyList<(string Name, string Description, string Format)> Presets =
    [
        ("default", "Default flux-jobs format string",
            "{id.f58:>12} ?:{queue:<8.8} {username:<8.8} {name:<10.10+} {status_abbrev:>2.2} {ntasks:>6} {nnodes:>6h} {contextual_time!F:>8h} {contextual_info}"),
        ("long", "Extended flux-jobs format string",
            "{id.f58:>12} ?:{queue:<8.8} ?:{project:<8.8} ?:{bank:<8.8} {username:<8.8} {name:<10.10+} {status:>9.9} {ntasks:>6} {nnodes:>6h} {t_submit!d:%b%d %R::>12} {t_remaining!F:>12h} {contextual_time!F:>8h} {contextual_info}"),
        ("deps", "Show job urgency, priority, and dependencies",
            "{id.f58:>12} ?:{queue:<8.8} {name:<10.10+} {urgency:<3} {priority:<12} {state:<8.8} {dependencies}"),
        ("endreason", "Show why each job ended",
            "{id.f58:>12} ?:{queue:<8.8} {username:<8.8} {name:<10.10+} {status_abbrev:>2.2} {t_inactive!d:%b%d %R::>12h} {inactive_reason}"),
    ];

    private readonly List<PyFormat.Part> _parts;
    private readonly Dictionary<string, string> _headings;

    /// <summary>Parses a format; <see cref="FormatException"/> for bad syntax or an unknown field.</summary>
    public JobFormat(string format)
    {
        _parts = PyFormat.Parse(format);
        _headings = new Dictionary<string, string>(Headings, StringComparer.Ordinal);
        foreach (var field in _parts.Select(p => p.Field).OfType<string>())
        {
            if (_headings.ContainsKey(field))
            {
                continue;
            }
            if (field.StartsWith("annotations.", StringComparison.Ordinal))
            {
                _headings[field] = field["annotations.".Length..].ToUpperInvariant();
            }
            else if (field.StartsWith("sched.", StringComparison.Ordinal) || field.StartsWith("user.", StringComparison.Ordinal))
            {
                _headings[field] = field.ToUpperInvariant();
            }
            else
            {
                throw new FormatException("Unknown format field: " + field);
            }
        }
    }

    private JobFormat(List<PyFormat.Part> parts, Dictionary<string, string> headings)
    {
        _parts = parts;
        _headings = headings;
    }

    /// <summary>The field names in the order they appear.</summary>
    public IReadOnlyList<string> Fields => [.. _parts.Select(p => p.Field).OfType<string>()];

    /// <summary>A preset's format string, or the argument itself when it contains a field; null for an unknown name.</summary>
    public static string? Resolve(string nameOrFormat)
    {
        ArgumentNullException.ThrowIfNull(nameOrFormat);
        return nameOrFormat.Contains('{', StringComparison.Ordinal)
            ? nameOrFormat
            : Presets.FirstOrDefault(p => p.Name == nameOrFormat).Format;
    }

    /// <summary>
    /// The format to print these jobs with: <c>?:</c> columns empty for every job are dropped (with the
    /// text before them), <c>+:</c> columns widened to their longest value, and the markers removed.
    /// </summary>
    public JobFormat Prepare(IReadOnlyCollection<JobRecord> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var empties = EmptyOutputs();
        var parts = new List<PyFormat.Part>();
        foreach (var p in _parts)
        {
            var text = p.Text;
            bool collapse = false, expand = false;
            foreach (var marker in new[] { "?+:", "+?:", "?:", "+:" })
            {
                if (p.Field is not null && text.EndsWith(marker, StringComparison.Ordinal))
                {
                    collapse = marker.Contains('?', StringComparison.Ordinal);
                    expand = marker.Contains('+', StringComparison.Ordinal);
                    text = text[..^marker.Length];
                    break;
                }
            }
            if (collapse && jobs.All(j => empties.Contains(PyFormat.Str(Convert(j.Get(p.Field!), p.Conversion)))))
            {
                continue;
            }
            var spec = p.Spec;
            if (expand && p.Conversion != "d")
            {
                var core = spec.TrimEnd('+', 'h');
                var parsed = PyFormat.Spec.Parse(core);
                var widest = jobs.Select(j => FormatField(Convert(j.Get(p.Field!), p.Conversion), WithoutWidth(spec)).Length)
                    .Append(_headings[p.Field!].Length).Max();
                spec = parsed.Render(Math.Max(parsed.Width ?? 0, widest)) + spec[core.Length..];
            }
            parts.Add(p with { Text = text, Spec = spec });
        }
        return new JobFormat(parts, _headings);
    }

    /// <summary>The header line: each heading with only the alignment and width of its field's spec.</summary>
    public string Header()
    {
        var sb = new StringBuilder();
        foreach (var p in _parts)
        {
            sb.Append(p.Text);
            if (p.Field is null)
            {
                continue;
            }
            var spec = NumberType().Replace(p.Spec, "$2", 1);
            var m = AlignWidth().Match(spec);
            sb.Append(PyFormat.FormatValue(_headings[p.Field], m.Success ? m.Value : ""));
        }
        return sb.ToString();
    }

    /// <summary>One job formatted.</summary>
    public string Format(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var sb = new StringBuilder();
        foreach (var p in _parts)
        {
            sb.Append(p.Text);
            if (p.Field is not null)
            {
                sb.Append(FormatField(Convert(job.Get(p.Field), p.Conversion), p.Spec));
            }
        }
        return sb.ToString();
    }

    // flux.util.empty_outputs(): values that count as empty for ?: and print as "-" under 'h'.
    private static HashSet<string> EmptyOutputs() =>
        new(["", "0s", "0.0", "0:00:00", "1970-01-01T00:00:00", PyTime.Strftime(PyTime.Local(0), "%FT%T")], StringComparer.Ordinal);

    // The spec without its width, keeping the '+' and 'h' suffixes: the natural length of a value.
    private static string WithoutWidth(string spec)
    {
        var core = spec.TrimEnd('+', 'h');
        return PyFormat.Spec.Parse(core).Render(null) + spec[core.Length..];
    }

    // flux.util.UtilFormatter.convert_field, for the conversions flux tools add.
    private static object Convert(object value, string? conversion)
    {
        if (conversion is null)
        {
            return value;
        }
        var number = value switch
        {
            long l => (double?)l,
            double d => d,
            bool b => b ? 1 : 0,
            _ => null,
        };
        var empty = number is null && PyFormat.Str(value).Length == 0;
        switch (conversion)
        {
            case "d":
                return new DateValue(number ?? (empty ? 0 : throw new FormatException($"cannot convert {PyFormat.Str(value)} to a datetime")));
            case "D":
                return number is { } ts && ts != 0 ? PyTime.Strftime(PyTime.Local(ts), "%FT%T") : "";
            case "F":
                return number is { } secs ? PyTime.Fsd(secs) : empty ? "" : throw new FormatException($"cannot convert {PyFormat.Str(value)} to a duration");
            case "H":
                if (number is not { } h)
                {
                    return empty ? "" : throw new FormatException($"cannot convert {PyFormat.Str(value)} to a duration");
                }
                return PyTime.TimeDelta((long)Math.Round(h is > 0 and < 1 ? 1 : h, MidpointRounding.ToEven));
            case "P":
                if (number is not { } pct)
                {
                    return "";
                }
                pct *= 100;
                return pct is > 0 and < 1
                    ? PyFormat.Fixed(pct, 2) + "%"
                    : PyFormat.General(pct, 3) + "%";
            case "s":
                return PyFormat.Str(value);
            case "r" or "a":
                return value is string s ? "'" + s + "'" : PyFormat.Str(value);
            default:
                throw new FormatException($"Unknown conversion specifier {conversion}");
        }
    }

    // flux.util.UtilFormatter.format_field: the '+' and 'h' suffixes, then Python's format().
    private static string FormatField(object value, string spec)
    {
        var denoteTruncation = spec.EndsWith('+');
        if (denoteTruncation)
        {
            spec = spec[..^1];
        }
        if (value is DateValue date)
        {
            return date.Format(spec);
        }
        if (spec.EndsWith('h'))
        {
            var str = PyFormat.Str(value);
            value = EmptyOutputs().Contains(str) ? "-" : str;
            spec = spec[..^1] + "s";
        }
        if (value == JobRecord.Empty)
        {
            spec = spec.TrimEnd('b', 'c', 'd', 'o', 'x', 'X', 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%');
            value = "";
        }
        if (value is JobRecord.JobIdValue id)
        {
            value = spec.Length == 0 ? id.ToString() : (object)(long)id.Id;
        }
        var result = PyFormat.FormatValue(value, spec);
        if (denoteTruncation && result.Length < PyFormat.Str(value).Length)
        {
            result = result[..^1] + "+";
        }
        return result;
    }

    [GeneratedRegex(@"(0?\.)?(\d+)?[bcdoxXeEfFgGn%]$")]
    private static partial Regex NumberType();

    [GeneratedRegex(@"([<>=^])?(\d+)")]
    private static partial Regex AlignWidth();

    /// <summary>A timestamp under <c>!d</c>: <c>{t!d:STRFTIME::SPEC}</c>; the epoch (unset) prints as "".</summary>
    private sealed record DateValue(double Timestamp)
    {
        public string Format(string fmt)
        {
            var sep = fmt.IndexOf("::", StringComparison.Ordinal);
            var timefmt = sep < 0 ? fmt : fmt[..sep];
            var spec = sep < 0 ? "" : fmt[(sep + 2)..];
            var result = Timestamp == 0 ? "" : PyTime.Strftime(PyTime.Local(Timestamp), timefmt.Length == 0 ? "%FT%T" : timefmt);
            if (spec.EndsWith('h'))
            {
                if (result.Length == 0)
                {
                    result = "-";
                }
                spec = spec[..^1] + "s";
            }
            return spec.Length > 0 ? PyFormat.FormatValue(result, spec) : result;
        }

        public override string ToString() => Timestamp == 0 ? "" : PyTime.Strftime(PyTime.Local(Timestamp), "%FT%T");
    }
}
