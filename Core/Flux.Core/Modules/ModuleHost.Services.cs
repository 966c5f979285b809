// What the module host reads out of a module's service provider: its typed options (bound again on
// config reload) and its meters (reported by NAME.stats-get).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Plugins;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;

namespace Flux.Core.Modules;

public sealed partial class ModuleHost
{
    // The providers whose options and meters belong to a module: its own, then those of the plugins
    // it hosts (job-manager's jobtap plugins), each with the prefix its instruments are listed under.
    private static List<(string Prefix, IServiceProvider Provider)> ProvidersOf(LoadedModule m)
    {
        var list = new List<(string, IServiceProvider)>();
        if (m.Provider is { } own)
        {
            list.Add((string.Empty, own));
        }
        foreach (var (name, provider) in m.Plugins?.LivePlugins() ?? [])
        {
            list.Add((name + "/", provider));
        }
        return list;
    }

    /// <summary>
    /// Binds every typed options table of a module (and of the plugins it hosts) from a proposed
    /// configuration, publishing nothing: a <see cref="ConfigException"/> here refuses the reload.
    /// </summary>
    private static List<(IFluxOptionsBinding Binding, object Value)> BindOptions(LoadedModule m, FluxConfig config)
    {
        var staged = new List<(IFluxOptionsBinding, object)>();
        foreach (var (_, provider) in ProvidersOf(m))
        {
            IEnumerable<IFluxOptionsBinding> bindings;
            try
            {
                bindings = provider.GetServices<IFluxOptionsBinding>();
            }
            catch (ObjectDisposedException)
            {
                // A hosted plugin removed while the reload looked at it has nothing to bind.
                continue;
            }
            foreach (var b in bindings)
            {
                staged.Add((b, b.Bind(config)));
            }
        }
        return staged;
    }

    // NAME.stats-get (and module.stats): the message counters, then the module's instruments.
    private static JsonObject StatsOf(LoadedModule m)
    {
        var o = m.Connection.Counters.ToJson();
        foreach (var (prefix, provider) in ProvidersOf(m))
        {
            try
            {
                provider.GetService<PluginMetrics>()?.ToJson(o, prefix);
            }
            catch (ObjectDisposedException)
            {
                // A hosted plugin removed meanwhile: its instruments are gone with it.
            }
        }
        return o;
    }
}
