// flux config reload: re-read the config directory and push the new configuration to every module
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class ConfigReloadCommand : Command
{
    public override string Name => "config reload";

    public override string Summary => "Re-read the config directory and push the new configuration to every module.";

    public override string Details => """
        A module may refuse the new configuration; then nothing changes anywhere, and this command
        fails with the module's name and reason. Sending SIGHUP to the broker does the same.
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("config.reload", null, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}
