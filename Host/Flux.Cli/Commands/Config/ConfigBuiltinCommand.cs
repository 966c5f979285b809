// flux config builtin: print a compiled-in path (module_path, jobtap_pluginpath, shell_pluginpath, connector_path, validator_path, plugin_path)
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class ConfigBuiltinCommand : Command
{
    public override string Name => "config builtin";

    public override string Summary => "Print a compiled-in path (module_path, jobtap_pluginpath, shell_pluginpath, connector_path, validator_path, plugin_path).";

    public override string Usage => "NAME";

    public override Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var bin = AppContext.BaseDirectory.TrimEnd('/');
        var value = args.Positionals[0] switch
        {
            "module_path" => Flux.Client.Plugins.BuiltinPlugins.Directory(PluginKind.Module),
            "jobtap_pluginpath" => Path.Combine(bin, "jobtap"),
            "shell_pluginpath" => Path.Combine(bin, "shell"),
            "connector_path" => Path.Combine(bin, "connectors"),
            "validator_path" => Path.Combine(bin, "validators"),
            "plugin_path" => Flux.Client.Plugins.InstalledPlugins.SystemRoot,
            var other => throw new FluxException(Errno.ENOENT, $"unknown builtin '{other}' (module_path, jobtap_pluginpath, shell_pluginpath, connector_path, validator_path, plugin_path)"),
        };
        Console.WriteLine(value);
        return Task.FromResult(0);
    }
}
