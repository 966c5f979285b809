// The arguments a module was loaded with.
namespace Flux.Abstractions;

/// <summary>
/// The words after the module name in <c>flux module load NAME [ARGS...]</c>, conventionally
/// <c>key=value</c>.
/// </summary>
public sealed class ModuleArgs
{
    /// <summary>Wraps a list of argument words.</summary>
    public ModuleArgs(IReadOnlyList<string> words)
    {
        Words = words;
    }

    /// <summary>The argument words in order.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The value of the last <c>key=value</c> word with this key, "" for a bare <c>key</c>, null if absent.</summary>
    public string? Get(string key)
    {
        string? found = null;
        foreach (var w in Words)
        {
            var eq = w.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 && w == key)
            {
                found = string.Empty;
            }
            else if (eq > 0 && w.AsSpan(0, eq).SequenceEqual(key))
            {
                found = w[(eq + 1)..];
            }
        }
        return found;
    }
}
