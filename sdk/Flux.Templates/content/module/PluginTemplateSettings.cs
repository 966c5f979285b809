// The plugin-template module's settings: the [plugin-template] table of the instance's configuration.
namespace PluginTemplate;

/// <summary>
/// Bound from <c>[plugin-template]</c> (a <c>*.toml</c> file in the instance's config directory):
/// each key sets the property of that name in kebab case. A key without a property here, or a value
/// of the wrong type, fails the module's load naming the file, the table and the key.
/// <code>
/// [plugin-template]
/// greeting = "Hi"
/// </code>
/// </summary>
public sealed class PluginTemplateSettings
{
    /// <summary>The word before the caller's name (<c>greeting</c>).</summary>
    public string Greeting { get; set; } = "Hello";
}
