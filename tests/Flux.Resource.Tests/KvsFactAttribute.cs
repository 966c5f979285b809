// A fact that needs the content and kvs modules built; skipped, saying so, when they are not.
namespace Flux.Resource.Tests;

[AttributeUsage(AttributeTargets.Method)]
public sealed class KvsFactAttribute : FactAttribute
{
    public KvsFactAttribute()
    {
        if (!Repo.HasModules("Flux.Modules.Content", "Flux.Modules.Kvs"))
        {
            Skip = $"needs the content and kvs modules in {Repo.Modules} (build Plugins/Modules/Flux.Modules.Kvs and Flux.Modules.Content) to keep resource.eventlog across a restart";
        }
    }
}
