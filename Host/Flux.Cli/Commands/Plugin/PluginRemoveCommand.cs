// flux plugin remove: remove an installed plugin package (every version, or one)
using Flux.Client.Plugins;

namespace Flux.Cli.Commands;

internal sealed class PluginRemoveCommand : Command
{
    public override string Name => "plugin remove";

    public override string Summary => "Remove an installed plugin package by package id or plugin name (every version, or one).";

    public override string Usage => "[--user|--system] [--version V] NAME";

    public override IReadOnlyList<OptionSpec> Options => [.. PluginRoots.Options, new("version", null, "V", "Remove only this version.")];

    public override Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, 1);
        foreach (var m in PluginInstaller.Remove(args.Positionals[0], args.Get("version"), PluginRoots.Pick(args, forInstall: false)))
        {
            Console.WriteLine($"removed {m.Id} {m.Version} from {m.Directory}");
        }
        return Task.FromResult(0);
    }
}
