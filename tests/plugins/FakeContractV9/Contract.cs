// The few contract types a v9 plugin would use, with the real names.
namespace Flux.Abstractions;

public enum PluginKind
{
    Module = 0,
}

[AttributeUsage(AttributeTargets.Class)]
public sealed class FluxPluginAttribute(string name, PluginKind kind) : Attribute
{
    public string Name { get; } = name;

    public PluginKind Kind { get; } = kind;
}
