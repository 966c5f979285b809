// The attribute that marks a plugin's entry type and names it.
namespace Flux.Abstractions;

/// <summary>
/// Marks the entry type of a plugin and gives its name and kind. The loader finds plugins by this
/// attribute, reading assembly metadata before anything is loaded. A module's name is also its
/// service name: <c>[FluxPlugin("hello", PluginKind.Module)]</c> serves <c>hello.*</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class FluxPluginAttribute : Attribute
{
    /// <summary>Names a plugin of a kind.</summary>
    public FluxPluginAttribute(string name, PluginKind kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>The plugin's name (module and service name, jobtap name, shell plugin name, URI scheme).</summary>
    public string Name { get; }

    /// <summary>The plugin's kind.</summary>
    public PluginKind Kind { get; }

    /// <summary>
    /// One line saying what the plugin does, as listings show it (<c>flux job-validator --list-plugins</c>).
    /// Read from the assembly's metadata without loading it, so give it as a literal.
    /// </summary>
    public string? Description { get; set; }
}
