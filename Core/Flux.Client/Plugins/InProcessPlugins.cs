// Plugin types a host registers in its own load context (Flux.Testing): loaded by name before the search path is looked at.
using System.Reflection;
using Flux.Abstractions;

namespace Flux.Client.Plugins;

/// <summary>
/// Plugin types already loaded in the host's process that <see cref="HostPluginLoader"/> constructs
/// when asked for their name, instead of searching for an assembly: a test registers the jobtap
/// plugin or validator under test, and job-manager or job-ingest loads it by name as it would an
/// installed one, but from the test's own load context (a debugger and coverage see it). A name
/// registered for a kind hides a plugin of the same name and kind on the search path. Thread-safe.
/// </summary>
public sealed class InProcessPlugins
{
    private readonly Dictionary<(PluginKind Kind, string Name), Type> _types = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Registers <paramref name="type"/> under its <c>[FluxPlugin]</c> name and kind and returns the
    /// name. EINVAL if the type has no such attribute, is not a concrete class, or its kind is
    /// <paramref name="kind"/>'s contrary (when given); EEXIST if another type has that name and kind.
    /// Registering the same type again does nothing.
    /// </summary>
    public string Add(Type type, PluginKind? kind = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        var attr = type.GetCustomAttribute<FluxPluginAttribute>()
            ?? throw new FluxException(Errno.EINVAL, $"{type.FullName}: not marked [FluxPlugin(NAME, PluginKind.{kind?.ToString() ?? "KIND"})]");
        if (kind is { } k && attr.Kind != k)
        {
            throw new FluxException(Errno.EINVAL, $"{type.FullName}: marked [FluxPlugin(\"{attr.Name}\", PluginKind.{attr.Kind})], expected PluginKind.{k}");
        }
        if (!type.IsClass || type.IsAbstract || type.ContainsGenericParameters)
        {
            throw new FluxException(Errno.EINVAL, $"{type.FullName}: a plugin must be a concrete, non-generic class");
        }
        lock (_lock)
        {
            if (_types.TryGetValue((attr.Kind, attr.Name), out var other) && other != type)
            {
                throw new FluxException(Errno.EEXIST, $"{attr.Kind} plugin '{attr.Name}' is already registered as {other.FullName}");
            }
            _types[(attr.Kind, attr.Name)] = type;
        }
        return attr.Name;
    }

    /// <summary>The type registered under <paramref name="name"/> for <paramref name="kind"/>, or null.</summary>
    public Type? Find(PluginKind kind, string name)
    {
        lock (_lock)
        {
            return _types.GetValueOrDefault((kind, name));
        }
    }

    /// <summary>The registered plugins of a kind: name and type.</summary>
    public IReadOnlyList<(string Name, Type Type)> List(PluginKind kind)
    {
        lock (_lock)
        {
            return [.. _types.Where(t => t.Key.Kind == kind).Select(t => (t.Key.Name, t.Value)).OrderBy(t => t.Name, StringComparer.Ordinal)];
        }
    }
}
