// The result of parsing a command line against a command's options.
using System.Globalization;

namespace Flux.Cli;

/// <summary>Option values by long name, and the positional arguments in order.</summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public required string Prog { get; init; }

    public void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            _values[name] = list = [];
        }
        list.Add(value);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.TryGetValue(name, out var l) ? l[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var l) ? l : [];

    public int GetInt(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var v = Get(name);
        if (v is null)
        {
            return defaultValue;
        }
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            var range = max == int.MaxValue ? $"an integer >= {min}" : $"an integer from {min} to {max}";
            throw new UsageException($"--{name}: expected {range}, got '{v}'");
        }
        return n;
    }

    public double GetSeconds(string name, double defaultValue)
    {
        var v = Get(name);
        if (v is null)
        {
            return defaultValue;
        }
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0)
        {
            return d;
        }
        try
        {
            return Flux.Formats.Fsd.Parse(v);
        }
        catch (Flux.Abstractions.FluxException ex)
        {
            throw new UsageException($"--{name}: {ex.Message}");
        }
    }
}
