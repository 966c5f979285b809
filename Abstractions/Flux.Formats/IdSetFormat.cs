// Encoding flags for an RFC 22 idset string, as flux-core's idset_encode() takes them.
namespace Flux.Formats;

/// <summary>
/// How <see cref="IdSet.Encode(IdSetFormat)"/> writes an idset (RFC 22). Flags combine.
/// </summary>
[Flags]
public enum IdSetFormat
{
    /// <summary>Every id is listed, comma separated: <c>1,2,3,5</c>.</summary>
    None = 0,

    /// <summary>Runs of two or more consecutive ids are written <c>first-last</c>: <c>1-3,5</c>.</summary>
    Range = 1,

    /// <summary>The list is wrapped in square brackets when it holds more than one id: <c>[1-3,5]</c>.</summary>
    Brackets = 2,
}
