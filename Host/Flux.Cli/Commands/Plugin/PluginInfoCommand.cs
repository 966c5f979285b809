// flux plugin info: one installed package's versions, plugins, contract and files
using Flux.Abstractions;
using Flux.Client.Plugins;

namespace Flux.Cli.Commands;

internal sealed class PluginInfoCommand : Command
{
    public override string Name => "plugin info";

    public override string Summary => "Show an installed plugin package (by package id or plugin name): versions, plugins, contract, folder.";

    public override string Usage => "[--user|--system] NAME";

    public override IReadOnlyList<OptionSpec> Options => PluginRoots.Options;

    public override Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, 1);
        var name = args.Positionals[0];
        var roots = PluginRoots.Pick(args, forInstall: false);
        var found = InstalledPlugins.All(roots)
            .Where(m => string.Equals(m.Id, name, StringComparison.OrdinalIgnoreCase) || m.Plugins.Any(p => p.Name == name))
            .OrderByDescending(m => m.SemanticVersion)
            .ToList();
        if (found.Count == 0)
        {
            throw new FluxException(Errno.ENOENT, $"no installed plugin package '{name}' in {string.Join(", ", roots)}");
        }
        var selected = InstalledPlugins.Selected(roots).Select(m => m.Directory).ToHashSet(StringComparer.Ordinal);
        foreach (var m in found)
        {
            Console.WriteLine($"{m.Id} {m.Version}{(selected.Contains(m.Directory) ? " (loads by name)" : "")}");
            Console.WriteLine($"  contract: Flux.Abstractions {m.ContractVersion.ToString(3)}{(PluginLoader.IsCompatible(m.ContractVersion) ? "" : $" (incompatible: this Flux loads {PluginLoader.SupportedContracts})")}");
            Console.WriteLine($"  folder:   {m.Directory}");
            foreach (var p in m.Plugins)
            {
                Console.WriteLine($"  {p.Kind,-12} {p.Name,-20} {p.Assembly}");
            }
        }
        return Task.FromResult(0);
    }
}
