// Loads the instance configuration from a TOML directory (or file) into a FluxConfig.
using Flux.Abstractions;
using Flux.Toml;

namespace Flux.Client.Config;

/// <summary>Reads <c>--config-path</c>: every <c>*.toml</c> of a directory merged, or one file.</summary>
public static class ConfigLoader
{
    /// <summary>Loads and merges; TOML and merge errors become <see cref="ConfigException"/> with file:line:col.</summary>
    public static FluxConfig Load(string path)
    {
        try
        {
            var tree = ConfigDirectory.Load(path);
            return new FluxConfig(tree.Root, tree.Sources);
        }
        catch (TomlException ex)
        {
            throw new ConfigException(ex.Message, ex);
        }
    }
}
