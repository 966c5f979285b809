// What an in-process test instance starts with: its modules, configuration, statedir and attributes.
namespace Flux.Tests.Shared;

internal sealed class InstanceOptions
{
    /// <summary>Modules loaded at start-up (rc1), in order: names found in the built module folder, or paths.</summary>
    public IReadOnlyList<string> Modules { get; init; } = [];

    /// <summary>TOML written as <see cref="ConfigFile"/> into <see cref="ConfigPath"/> (or a new directory); null for none.</summary>
    public string? Config { get; init; }

    /// <summary>The file name <see cref="Config"/> is written under: error messages name it.</summary>
    public string ConfigFile { get; init; } = "test.toml";

    /// <summary>A configuration directory the caller owns (kept at dispose), e.g. to restart on the same configuration.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>A statedir the caller owns (kept at dispose, e.g. to restart on it); null gives content-sqlite a new one, removed at dispose.</summary>
    public string? Statedir { get; init; }

    /// <summary>Broker attributes, as <c>flux start -S KEY=VAL</c> sets them.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the broker also serves its local socket (for a real flux command).</summary>
    public bool Listen { get; init; }
}
