// The [hello] table of the instance's configuration.
namespace Hello;

/// <summary>
/// <c>[hello]</c>: <c>greeting = "Hi"</c>, <c>max-name-length = 64</c>. A key not listed here, or a
/// value of the wrong type, fails <c>flux module load hello</c> (and <c>flux config reload</c>) with
/// the file, the table and the key.
/// </summary>
public sealed class HelloSettings
{
    /// <summary>The word before the name.</summary>
    public string Greeting { get; set; } = "Hello";

    /// <summary>Longer names are refused (EINVAL).</summary>
    public int MaxNameLength { get; set; } = 64;
}
