// flux job-validator --list-plugins: the validator plugins available to job-ingest, with their descriptions.
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class JobValidatorCommand : Command
{
    public override string Name => "job-validator";

    public override string Summary => "List the job validator plugins available to job-ingest.";

    public override string Usage => "--list-plugins";

    public override IReadOnlyList<OptionSpec> Options =>
        [new("list-plugins", null, null, "List available validator plugins and exit."), .. IngestPluginListing.Refused];

    public override string Details => """
        Plugins are found on FLUX_VALIDATOR_PATH and in the installation's validators folder (a running
        instance also searches its conf.validator_path attribute). Configure them in [ingest.validator]:
        plugins = ["jobspec", "feasibility"], args = ["--require-version=1"].
        """;

    public override Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 0);
        IngestPluginListing.RefuseOthers(args, "validator");
        return Task.FromResult(IngestPluginListing.Print(PluginKind.Validator));
    }
}
