// flux: finds the subcommand named by the leading words, parses its options, runs it.
using Flux.Cli;

return await Dispatcher.RunAsync(args).ConfigureAwait(false);
