// The kinds of plugin Flux.NET loads.
namespace Flux.Abstractions;

/// <summary>What a plugin plugs into.</summary>
public enum PluginKind
{
    /// <summary>A broker module: an actor serving one or more services (<c>flux module load</c>).</summary>
    Module = 0,
    /// <summary>A job-manager plugin (<c>flux jobtap load</c>).</summary>
    Jobtap = 1,
    /// <summary>A job shell plugin (<c>plugin.load</c> in initrc.lua).</summary>
    ShellPlugin = 2,
    /// <summary>A connector for a URI scheme.</summary>
    Connector = 3,
    /// <summary>An ingest validator or frobnicator.</summary>
    Validator = 4,
}
