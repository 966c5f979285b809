// The resource tests' preset of the shared TestInstance: the resource module (and what rc1 adds) with resource.toml.
namespace Flux.Resource.Tests;

internal static class ResourceInstance
{
    /// <summary>Starts a broker loading <paramref name="rc1"/> (default: resource only), configured by <paramref name="toml"/> as resource.toml.</summary>
    public static Task<TestInstance> StartAsync(string? toml = null, IReadOnlyList<string>? rc1 = null, string? statedir = null) =>
        TestInstance.StartAsync(new InstanceOptions
        {
            Modules = rc1 ?? ["resource"],
            Config = toml,
            ConfigFile = "resource.toml",
            Statedir = statedir,
        });
}
