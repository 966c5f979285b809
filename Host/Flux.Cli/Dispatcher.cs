// Chooses the command for `flux WORDS...`, prints help listings, maps errors to exit codes.
using Flux.Abstractions;
using Flux.Client.Plugins;

namespace Flux.Cli;

internal static class Dispatcher
{
    public static IReadOnlyList<Command> Commands { get; } = [.. CommandTable.Create().OrderBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>
    /// Runs a command line. In the native command, a command that needs a plugin assembly is handed
    /// over whole to the JIT-hosted companion (<see cref="NativeHandOver"/>).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        NativeConnector.RegisterIfNative();
        try
        {
            return await RunCommandAsync(args, args).ConfigureAwait(false);
        }
        catch (PluginLoadingUnavailableException ex) when (NativeHandOver.IsNative)
        {
            try
            {
                return NativeHandOver.Exec(args, ex.What);
            }
            catch (FluxException fx)
            {
                await Console.Error.WriteLineAsync($"flux: {fx.Message}").ConfigureAwait(false);
                return 1;
            }
        }
    }

    // ORIGINAL is the command line as given, for a hand-over.
    private static async Task<int> RunCommandAsync(string[] args, string[] original)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            if (args.Length > 1 && args[0] == "help")
            {
                return await RunCommandAsync([.. args.Skip(1), "--help"], original).ConfigureAwait(false);
            }
            Console.Write(TopHelp());
            return args.Length == 0 ? 1 : 0;
        }
        if (args[0] is "-V" or "--version")
        {
            args = ["version"];
        }
        var (command, used) = Find(args);
        if (command is null)
        {
            var group = args[0];
            var members = Commands.Where(c => c.Name.StartsWith(group + " ", StringComparison.Ordinal) && !c.Hidden).ToList();
            if (members.Count > 0)
            {
                var wantsHelp = args.Length == 1 || args[1] is "-h" or "--help";
                var w = wantsHelp ? Console.Out : Console.Error;
                if (!wantsHelp)
                {
                    await w.WriteLineAsync($"flux-{group}: unknown subcommand '{args[1]}'").ConfigureAwait(false);
                }
                await w.WriteLineAsync($"Usage: flux {group} COMMAND [OPTIONS]\n\nCommands:").ConfigureAwait(false);
                foreach (var m in members)
                {
                    await w.WriteLineAsync($"  {m.Name[(group.Length + 1)..],-16} {m.Summary}").ConfigureAwait(false);
                }
                return wantsHelp ? 0 : 2;
            }
            await Console.Error.WriteLineAsync($"flux: '{args[0]}' is not a flux command. See 'flux --help'.").ConfigureAwait(false);
            return 2;
        }
        var rest = args.Skip(used).ToArray();
        ParsedArgs parsed;
        try
        {
            if (rest.Length > 0 && rest[0] is "-h" or "--help" || (!command.StopAtPositional && rest.Contains("--help")))
            {
                Console.Write(command.HelpText());
                return 0;
            }
            parsed = OptionParser.Parse(command.Prog, command.AllOptions, rest, command.StopAtPositional);
            if (parsed.Has("help"))
            {
                Console.Write(command.HelpText());
                return 0;
            }
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"{command.Prog}: {ex.Message}\nTry 'flux {command.Name} --help' for more information.").ConfigureAwait(false);
            return 2;
        }
        using var cts = new CancellationTokenSource();
        try
        {
            // A native command whose instance URI needs a connector plugin hands over before it
            // runs: a command may read its stdin before it connects.
            if (NativeHandOver.IsNative && NativeConnector.WhyNotServed() is { } why)
            {
                return NativeHandOver.Exec(original, why);
            }
            return await command.RunAsync(parsed, cts.Token).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"{command.Prog}: {ex.Message}\nTry 'flux {command.Name} --help' for more information.").ConfigureAwait(false);
            return 2;
        }
        catch (FluxException ex)
        {
            await Console.Error.WriteLineAsync($"{command.Prog}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (IOException ex) when (ex.HResult == 32 || ex.Message.Contains("Broken pipe", StringComparison.Ordinal))
        {
            return 141;
        }
    }

    private static (Command?, int) Find(string[] args)
    {
        Command? best = null;
        var bestWords = 0;
        foreach (var c in Commands)
        {
            var words = c.Name.Split(' ');
            if (words.Length > args.Length || words.Length <= bestWords)
            {
                continue;
            }
            if (words.Select((w, i) => w == args[i]).All(x => x))
            {
                best = c;
                bestWords = words.Length;
            }
        }
        return (best, bestWords);
    }

    private static string TopHelp()
    {
        var version = typeof(Dispatcher).Assembly.GetName().Version?.ToString(3);
        var lines = new List<string>
        {
            $"Usage: flux [-h|--help] [-V|--version] COMMAND [ARGS...]",
            $"Flux.NET {version}: a resource manager for clusters and single machines.",
            "",
            "Commands (run 'flux COMMAND --help' for each):",
        };
        var groups = Commands.Where(c => !c.Hidden)
            .GroupBy(c => c.Name.Split(' ')[0])
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var g in groups)
        {
            var summary = g.Count() == 1 && !g.First().Name.Contains(' ', StringComparison.Ordinal)
                ? g.First().Summary
                : string.Join(", ", g.Select(c => c.Name.Contains(' ', StringComparison.Ordinal) ? c.Name[(g.Key.Length + 1)..] : "(itself)"));
            lines.Add($"  {g.Key,-14} {summary}");
        }
        return string.Join('\n', lines) + "\n";
    }
}
