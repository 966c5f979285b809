// Tests that swap Console.Out and Console.Error run one at a time: the console is process-wide.
namespace Flux.Cli.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}
