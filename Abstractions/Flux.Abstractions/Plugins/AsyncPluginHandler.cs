// The signature of a plugin's topic handler that may wait (an RPC, a database) before it answers.
namespace Flux.Abstractions.Plugins;

/// <summary>
/// Handles one call of a topic and may wait before answering: the same contract as
/// <see cref="PluginHandler"/> (true on success, <c>args.Error("...")</c> to fail with a message, an
/// exception is a fault of the plugin), completed later. It starts on the host's loop, and every
/// <c>await</c> in it resumes on that loop (no locks needed); while it waits the loop serves other
/// work. <paramref name="args"/> stays valid until the returned task completes.
/// <paramref name="cancellationToken"/> is canceled when the host stops (its module unloads).
/// Registered with <see cref="IPluginRegistrar.HandleAsync"/>, which only hosts that can wait
/// accept (job-ingest's validators and frobnicators).
/// </summary>
public delegate ValueTask<bool> AsyncPluginHandler(string topic, PluginArgs args, CancellationToken cancellationToken);
