// How a TOML table came to exist, which decides whether it may be defined or extended again.
namespace Flux.Toml;

/// <summary>
/// How a table was created. TOML 1.0 ("Table" and "Inline Table") lets a table be defined once:
/// an implicit table may later get its own [header]; a dotted-key table may gain sub-tables by
/// header but not be defined by one; inline tables are complete once written.
/// </summary>
public enum TomlTableKind
{
    /// <summary>The document itself.</summary>
    Root,

    /// <summary>
    /// Created only as the parent of a header, e.g. <c>a</c> in <c>[a.b]</c>; becomes
    /// <see cref="Header"/> or <see cref="Dotted"/> when a header or dotted keys define it.
    /// </summary>
    Implicit,

    /// <summary>Defined by a [header], or an element of a [[header]] array of tables.</summary>
    Header,

    /// <summary>Created by a dotted key such as <c>a.b = 1</c>.</summary>
    Dotted,

    /// <summary>An inline table <c>{ ... }</c>.</summary>
    Inline,
}
