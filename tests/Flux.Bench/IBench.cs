// A benchmark the bench program can run by name: `dotnet run --project tests/Flux.Bench -c Release -- NAME`.
namespace Flux.Bench;

internal interface IBench
{
    /// <summary>Name used on the command line (e.g. "toml", "formats", "broker").</summary>
    string Name { get; }

    /// <summary>One-line description shown by --list.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark and prints its figures to stdout.</summary>
    Task RunAsync(string[] args);
}
