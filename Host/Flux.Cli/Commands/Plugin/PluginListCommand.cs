// flux plugin list: the installed plugins: kind, name, version, where, and which load / are loaded
using Flux.Client.Plugins;

namespace Flux.Cli.Commands;

internal sealed class PluginListCommand : Command
{
    public override string Name => "plugin list";

    public override string Summary => "List installed plugins: kind, name, version, folder, and which version loads (and is loaded, inside an instance).";

    public override string Usage => "[--user|--system]";

    public override IReadOnlyList<OptionSpec> Options => PluginRoots.Options;

    public override string Details => """
        STATE is "selected" for the version that loads by name (the highest compatible one), "loaded"
        when a running instance (FLUX_URI) has it loaded, "incompatible" for a contract this Flux does
        not provide, and empty for another version side by side.
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 0);
        var roots = PluginRoots.Pick(args, forInstall: false);
        var selected = InstalledPlugins.Selected(roots).Select(m => m.Directory).ToHashSet(StringComparer.Ordinal);
        var loaded = await PluginRoots.LoadedAsync(ct).ConfigureAwait(false);
        Console.WriteLine($"{"KIND",-12} {"NAME",-20} {"VERSION",-12} {"STATE",-12} PATH");
        foreach (var m in InstalledPlugins.All(roots))
        {
            var state = loaded is { } l && PluginRoots.IsLoaded(m, l) ? "loaded"
                : selected.Contains(m.Directory) ? "selected"
                : !PluginLoader.IsCompatible(m.ContractVersion) ? "incompatible"
                : "";
            foreach (var p in m.Plugins)
            {
                Console.WriteLine($"{p.Kind,-12} {p.Name,-20} {m.Version,-12} {state,-12} {m.Directory}");
            }
        }
        return 0;
    }
}
