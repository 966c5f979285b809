// flux version: print the versions of the commands and, inside an instance, of its broker
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class VersionCommand : Command
{
    public override string Name => "version";

    public override string Summary => "Print the versions of the commands and, inside an instance, of its broker.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var mine = typeof(VersionCommand).Assembly.GetName().Version?.ToString(3);
        Console.WriteLine($"commands:    \t\t{mine}");
        Console.WriteLine($"libflux-core:\t\t{typeof(IFlux).Assembly.GetName().Version?.ToString(3)}");
        // The plugin contract: what `flux plugin install` and every plugin load check a plugin against.
        Console.WriteLine($"plugin-contract:\t{Flux.Client.Plugins.PluginLoader.SupportedContracts}");
        Console.WriteLine($"runtime:     \t\t.NET {Environment.Version}");
        if (Environment.GetEnvironmentVariable("FLUX_URI") is { } uri)
        {
            await using var h = await OpenAsync(ct).ConfigureAwait(false);
            Console.WriteLine($"broker:      \t\t{await h.GetAttrAsync("version", ct).ConfigureAwait(false)}");
            Console.WriteLine($"FLUX_URI:    \t\t{uri}");
        }
        return 0;
    }
}
