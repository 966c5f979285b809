// flux admin system-scripts: show the prolog, epilog and housekeeping configuration and the scripts each will run.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.SystemScripts;

namespace Flux.Cli.Commands;

internal sealed class AdminSystemScriptsCommand : Command
{
    public override string Name => "admin system-scripts";

    public override string Summary => "Show configured system scripts (prolog, epilog, housekeeping).";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("verbose", 'v', null, "Show scripts even when not configured."),
        new("color", null, "WHEN", "Use color: never, always or auto (default: when output is a terminal)."),
    ];

    public override string? Details => """
        Scripts run from the package folder (the installation's libexec/KIND.d, or
        $FLUX_SYSTEM_SCRIPTS_LIBEXECDIR/KIND.d), then the site's single script
        /etc/flux/system/KIND if it is executable, or else every script of /etc/flux/system/KIND.d
        (/etc is replaced by $FLUX_SYSTEM_SCRIPTS_CONFDIR). A configured command runs instead.
        Example:
          flux admin system-scripts -v
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 0);
        var color = args.Get("color") switch
        {
            null or "auto" => !Console.IsOutputRedirected,
            "always" => true,
            "never" => false,
            var w => throw new UsageException($"--color: invalid choice '{w}' (choose from never, always, auto)"),
        };
        JsonObject? prolog = null, epilog = null, housekeeping = null;
        var loaded = false;
        try
        {
            await using var h = await OpenAsync(ct).ConfigureAwait(false);
            try
            {
                var q = await h.RpcAsync("job-manager.jobtap-query", new JsonObject { ["name"] = "perilog.so" }, NodeId.Any, ct).ConfigureAwait(false);
                if (q?["conf"] is JsonObject conf)
                {
                    loaded = true;
                    prolog = conf["prolog"] as JsonObject;
                    epilog = conf["epilog"] as JsonObject;
                }
            }
            catch (FluxException ex) when (ex.Errnum == Errno.EPERM)
            {
                await Console.Error.WriteLineAsync("Warning: only instance owner can query perilog.so status").ConfigureAwait(false);
            }
            catch (FluxException ex) when (ex.Errnum is Errno.ENOENT or Errno.ENOSYS)
            {
                // perilog.so is not loaded (or job-manager is not): the config says what is configured.
            }
            var config = await h.RpcAsync("config.get", null, NodeId.Any, ct).ConfigureAwait(false);
            var jm = config?["job-manager"] as JsonObject;
            if (!loaded)
            {
                prolog = jm?["prolog"] as JsonObject;
                epilog = jm?["epilog"] as JsonObject;
            }
            housekeeping = jm?["housekeeping"] as JsonObject;
        }
        catch (FluxException ex) when (ex.Errnum is Errno.ENOENT or Errno.ECONNREFUSED or Errno.EINVAL)
        {
            // No instance to ask: what would run is still shown from the file system (with -v).
        }
        var view = new SystemScriptsView(Console.Out, SystemScriptLocations.FromEnvironment(), args.Has("verbose"), color);
        view.Perilog("prolog", prolog, loaded);
        view.Perilog("epilog", epilog, loaded);
        view.Housekeeping(housekeeping);
        return 0;
    }
}
