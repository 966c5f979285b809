// Thrown where a process that cannot load assemblies (the NativeAOT flux command) would load a plugin.
namespace Flux.Client.Plugins;

/// <summary>
/// A plugin assembly would have to be loaded, and this process cannot load assemblies: it is
/// published NativeAOT (the native <c>flux</c> command). Every place that loads a plugin checks
/// <see cref="System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported"/> first (the
/// AOT compiler treats it as false and leaves the loading code out) and throws this instead; the
/// native command catches it and hands the whole command over to its JIT-hosted companion.
/// </summary>
public sealed class PluginLoadingUnavailableException : Exception
{
    /// <summary>Creates the exception for what needed loading ("connector 'ssh'").</summary>
    public PluginLoadingUnavailableException(string what)
        : base($"{what}: this flux command is native (NativeAOT) and cannot load plugin assemblies")
    {
        What = what;
    }

    /// <summary>Creates the exception with the default message.</summary>
    public PluginLoadingUnavailableException()
        : this("a plugin")
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public PluginLoadingUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        What = message;
    }

    /// <summary>What needed loading.</summary>
    public string What { get; } = "a plugin";
}
