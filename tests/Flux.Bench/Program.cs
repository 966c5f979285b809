// Entry point of the bench program: finds every IBench in this assembly and runs the ones named.
using System.Reflection;
using Flux.Bench;

var benches = typeof(Program).Assembly.GetTypes()
    .Where(t => typeof(IBench).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
    .Select(t => (IBench)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "--list" or "-h" or "--help")
{
    Console.WriteLine("usage: flux-bench NAME [ARGS...] | all");
    foreach (var b in benches)
    {
        Console.WriteLine($"  {b.Name,-12} {b.Description}");
    }
    return args.Length == 0 ? 1 : 0;
}

// The broker and kvs benches open local:// in this process: its connector plugin is in the Release
// build's built-in connectors/ folder, not beside this program.
if (Environment.GetEnvironmentVariable("FLUX_CONNECTOR_PATH") is null)
{
    Environment.SetEnvironmentVariable("FLUX_CONNECTOR_PATH", Path.Combine(BenchRepo.Bin, "connectors"));
}

var selected = args[0] == "all" ? benches : benches.Where(b => b.Name == args[0]).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"flux-bench: unknown benchmark '{args[0]}' (try --list)");
    return 1;
}
foreach (var b in selected)
{
    Console.WriteLine($"== {b.Name}: {b.Description}");
    await b.RunAsync(args.Skip(1).ToArray()).ConfigureAwait(false);
}
return 0;
