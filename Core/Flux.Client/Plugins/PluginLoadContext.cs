// A collectible load context for one plugin: private dependencies, the contract shared with the host.
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Flux.Client.Plugins;

/// <summary>
/// Loads a plugin assembly and its private dependencies (resolved through the plugin's own
/// <c>.deps.json</c> with <see cref="AssemblyDependencyResolver"/>, or from its folder) into its own
/// context: collectible (unloaded when the plugin is removed) for IL assemblies, and not collectible
/// for ReadyToRun ones, because the runtime ignores precompiled code in collectible contexts. The
/// contract assemblies are never loaded here: <see cref="Load"/> returns
/// null for them so the host's copy is used and plugin types implement the host's interfaces.
/// </summary>
public sealed class PluginLoadContext : AssemblyLoadContext
{
    /// <summary>
    /// Assemblies shared with every plugin: the contract and the abstractions it exposes, among them
    /// Microsoft.Extensions.Options (and the Primitives it exposes) so that the <c>IOptions&lt;T&gt;</c>
    /// a plugin asks for is the interface the host's provider registered. <c>IMeterFactory</c> comes
    /// from the shared framework, which every context shares already.
    /// </summary>
    public static readonly IReadOnlySet<string> SharedAssemblies = new HashSet<string>(StringComparer.Ordinal)
    {
        "Flux.Abstractions",
        "Flux.Formats",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.Options",
        "Microsoft.Extensions.Primitives",
    };

    private readonly AssemblyDependencyResolver? _resolver;
    private readonly string _directory;

    /// <summary>Creates a context for the plugin assembly at a path (collectible unless told otherwise).</summary>
    public PluginLoadContext(string name, string pluginPath, bool collectible = true) : base(name, isCollectible: collectible)
    {
        PluginPath = pluginPath;
        _directory = System.IO.Path.GetDirectoryName(pluginPath)!;
        try
        {
            _resolver = new AssemblyDependencyResolver(pluginPath);
        }
        catch (InvalidOperationException)
        {
            // No usable .deps.json: fall back to probing the plugin's folder.
            _resolver = null;
        }
    }

    /// <summary>
    /// Creates the context for one load of a plugin: from the file where it is the first time this
    /// process loads that path, from a private copy of its folder after that (<see cref="ShadowCopy"/>),
    /// so a reload runs what is on disk now. <see cref="PluginPath"/> is then the copy's path. A
    /// context that is not collectible (a ReadyToRun plugin) is never unloaded, so it is made once per
    /// file as loaded (the file in place, or the copy of a folder that has not changed) and every later
    /// load of the same bits gets it again: its code is compiled once, and precompiled code is used at
    /// all (the runtime uses an image's ReadyToRun code in the first context that loads it only: a second
    /// context, for a second module of the same assembly or a reload, would JIT every method again).
    /// </summary>
    public static PluginLoadContext ForLoad(string name, string pluginPath, bool collectible)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new PluginLoadingUnavailableException(name);
        }
        var (path, copy) = ShadowCopy.Prepare(pluginPath);
        if (!collectible)
        {
            return Resident.GetOrAdd(path, p => new PluginLoadContext(System.IO.Path.GetFileNameWithoutExtension(p), p, collectible: false));
        }
        var context = new PluginLoadContext(name, path, collectible);
        if (copy is not null)
        {
            context.Unloading += _ => ShadowCopy.Delete(copy);
        }
        return context;
    }

    // The contexts that are never unloaded, by the path their plugin assembly is loaded from.
    private static readonly ConcurrentDictionary<string, PluginLoadContext> Resident = new(StringComparer.Ordinal);

    private Assembly? _main;
    private readonly Lock _mainGate = new();

    /// <summary>
    /// The plugin assembly (<see cref="PluginPath"/>), loaded into this context the first time. A
    /// collectible context does not keep it (an assembly held by its own context keeps the context from
    /// ever being collected); it is loaded once per context anyway.
    /// </summary>
    public Assembly LoadPluginAssembly()
    {
        if (IsCollectible)
        {
            return LoadFromAssemblyPath(PluginPath);
        }
        lock (_mainGate)
        {
            return _main ??= LoadFromAssemblyPath(PluginPath);
        }
    }

    /// <summary>Unloads a collectible context; a ReadyToRun plugin's context stays (it cannot be unloaded).</summary>
    public void UnloadIfCollectible()
    {
        if (IsCollectible)
        {
            Unload();
        }
    }

    /// <summary>The plugin assembly's path.</summary>
    public string PluginPath { get; }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        ArgumentNullException.ThrowIfNull(assemblyName);
        if (assemblyName.Name is null || SharedAssemblies.Contains(assemblyName.Name))
        {
            return null;
        }
        var path = _resolver?.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            var candidate = System.IO.Path.Combine(_directory, assemblyName.Name + ".dll");
            if (File.Exists(candidate) && !IsFrameworkAssembly(assemblyName))
            {
                path = candidate;
            }
        }
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    /// <inheritdoc />
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private static bool IsFrameworkAssembly(AssemblyName name)
    {
        try
        {
            Default.LoadFromAssemblyName(name);
            return name.Name!.StartsWith("System.", StringComparison.Ordinal) || name.Name.StartsWith("Microsoft.", StringComparison.Ordinal);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
