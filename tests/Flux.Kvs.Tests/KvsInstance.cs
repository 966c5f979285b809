// The KVS tests' preset of the shared TestInstance: the content, content-sqlite, kvs and kvs-watch modules.
namespace Flux.Kvs.Tests;

internal static class KvsInstance
{
    /// <summary>Starts the KVS modules on <paramref name="statedir"/> (a new one, removed at dispose, when null).</summary>
    public static Task<TestInstance> StartAsync(string? statedir = null, string? configPath = null, IEnumerable<KeyValuePair<string, string>>? attrs = null) =>
        TestInstance.StartAsync(new InstanceOptions
        {
            Modules = TestInstance.KvsModules,
            Statedir = statedir,
            ConfigPath = configPath,
            Attributes = new Dictionary<string, string>(attrs ?? []),
        });
}
