// The module folder the KVS tests load content and kvs from.
namespace Flux.Tests.Shared;

internal static partial class Repo
{
    public static string Modules => ModuleDir("Flux.Modules.Content", "Flux.Modules.Kvs");
}
