// The signature of a plugin's topic handler.
namespace Flux.Abstractions.Plugins;

/// <summary>
/// Handles one call of a topic. Returns true on success, false on failure (flux-core's 0 and −1):
/// a failure stops the call from reaching the plugins loaded after this one, and at
/// <c>job.validate</c> it rejects the job with <see cref="PluginArgs.ErrorMessage"/>. Return
/// <c>args.Error("...")</c> to fail with a message. An exception is a fault of the plugin: the host
/// logs it with the plugin's name and treats it as a failure whose message names the plugin.
/// </summary>
public delegate bool PluginHandler(string topic, PluginArgs args);
