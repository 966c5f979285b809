// The module folder of the resource tests, and whether persistence can be tested.
namespace Flux.Tests.Shared;

internal static partial class Repo
{
    public static string Modules => Path.Combine(Bin, "modules");

    /// <summary>Whether the content and kvs modules are built, so that state can persist across restarts.</summary>
    public static bool HasKvs =>
        File.Exists(Path.Combine(Modules, "Flux.Modules.Kvs", "Flux.Modules.Kvs.dll"))
        && File.Exists(Path.Combine(Modules, "Flux.Modules.Content", "Flux.Modules.Content.dll"));
}
