// The installation's built-in plugin folders, one per kind, beside the executables.
using Flux.Abstractions;

namespace Flux.Client.Plugins;

/// <summary>
/// Where the built-in plugins of each kind are installed: <c>modules/</c>, <c>jobtap/</c>,
/// <c>shell/</c>, <c>connectors/</c> and <c>validators/</c> beside the executables (the folders
/// Plugins/Directory.Build.props and build.sh put them in). Each is the last entry of its kind's
/// search path.
/// </summary>
public static class BuiltinPlugins
{
    /// <summary>The built-in folder of a plugin kind.</summary>
    public static string Directory(PluginKind kind) => Path.Combine(AppContext.BaseDirectory, kind switch
    {
        PluginKind.Module => "modules",
        PluginKind.Jobtap => "jobtap",
        PluginKind.ShellPlugin => "shell",
        PluginKind.Connector => "connectors",
        PluginKind.Validator or PluginKind.Frobnicator => "validators",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a plugin kind"),
    });
}
