// The builtin shell plugins' types: their assembly loaded once per process (beside the shell's own
// context), then one instance of each per job, in flux-core's builtins.c order.
using System.Reflection;
using System.Runtime.Loader;
using Flux.Abstractions;

namespace Flux.Shell;

/// <summary>
/// Finds the builtin shell plugins (<c>shell/Flux.ShellPlugins.Builtins/</c> beside the executables).
/// Their assembly is loaded once into the context that holds this library and is never unloaded:
/// a per-job load context would JIT them again for every job. User plugins, which may change
/// between jobs, are loaded per job instead (<see cref="ShellPluginLoader.Load"/>).
/// </summary>
internal static class BuiltinShellPlugins
{
    /// <summary>The builtins' order, flux-core's (builtins.c); a builtin not listed comes after these.</summary>
    public static readonly string[] Order =
    [
        "env", "cwd", "pmi-simple", "input", "output", "signal", "rlimit", "cpu-affinity", "gpu-affinity", "mpir", "taskmap.cyclic",
        "taskmap.manual", "exit-on-error", "exit-timeout",
    ];

    private static readonly Lazy<IReadOnlyList<(string Name, Type Type)>> Loaded = new(() => Ordered([.. Load(DefaultPath), .. Load(PmiPath)]));

    /// <summary>The builtin folder of the shell plugin kind.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "shell");

    /// <summary>Where the builtins' assembly is installed.</summary>
    public static string DefaultPath => Path.Combine(Directory, "Flux.ShellPlugins.Builtins", "Flux.ShellPlugins.Builtins.dll");

    /// <summary>The PMI server (pmi-simple), a builtin in an assembly of its own.</summary>
    public static string PmiPath => Path.Combine(Directory, "Flux.ShellPlugins.Pmi", "Flux.ShellPlugins.Pmi.dll");

    /// <summary>The builtins of this installation, in order; none when the assembly is not installed.</summary>
    public static IReadOnlyList<(string Name, Type Type)> Types => Loaded.Value;

    /// <summary>The shell plugin types of an assembly file, in <see cref="Order"/>.</summary>
    public static IReadOnlyList<(string Name, Type Type)> Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var context = AssemblyLoadContext.GetLoadContext(typeof(BuiltinShellPlugins).Assembly) ?? AssemblyLoadContext.Default;
        return Of(context.LoadFromAssemblyPath(path));
    }

    /// <summary>The shell plugin types of a loaded assembly, in <see cref="Order"/>.</summary>
    public static IReadOnlyList<(string Name, Type Type)> Of(Assembly assembly) =>
        Ordered(assembly.GetExportedTypes()
            .Select(t => (Attr: t.GetCustomAttribute<FluxPluginAttribute>(), Type: t))
            .Where(p => p.Attr?.Kind == PluginKind.ShellPlugin)
            .Select(p => (p.Attr!.Name, p.Type)));

    private static (string Name, Type Type)[] Ordered(IEnumerable<(string Name, Type Type)> plugins) =>
    [
        .. plugins
            .OrderBy(p => Array.IndexOf(Order, p.Name) is var i and >= 0 ? i : Order.Length)
            .ThenBy(p => p.Name, StringComparer.Ordinal),
    ];
}
