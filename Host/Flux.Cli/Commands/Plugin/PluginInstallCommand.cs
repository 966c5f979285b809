// flux plugin install: install a plugin package (.nupkg made with Flux.Plugin.Sdk, or its folder) for the user or the system
using Flux.Client.Plugins;

namespace Flux.Cli.Commands;

internal sealed class PluginInstallCommand : Command
{
    public override string Name => "plugin install";

    public override string Summary => "Install a plugin package (.nupkg or folder) into the user's or the system's plugin folder.";

    public override string Usage => "[--user|--system] PACKAGE.nupkg|DIR";

    public override IReadOnlyList<OptionSpec> Options => PluginRoots.Options;

    public override string Details => """
        Installs into ROOT/ID/VERSION/; versions install side by side. Of a package's versions whose
        contract this Flux provides, the highest loads; NAME@VERSION (flux module load, flux jobtap
        load) pins one. A package built against a contract this Flux does not provide is refused.
        """;

    public override Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, 1);
        var root = PluginRoots.Pick(args, forInstall: true)[0];
        var m = PluginInstaller.Install(args.Positionals[0], root);
        Console.WriteLine($"installed {m.Id} {m.Version} ({string.Join(", ", m.Plugins.Select(p => $"{p.Kind} {p.Name}"))}) in {m.Directory}");
        return Task.FromResult(0);
    }
}
