// The string encodings of an RFC 19 FLUID (job id) that flux-core's "flux job id --to" offers.
namespace Flux.Formats;

/// <summary>A text form of a FLUID job id (RFC 19), as <c>flux job id --to=NAME</c> names them.</summary>
public enum FluidEncoding
{
    /// <summary>Decimal: <c>6731191091817518</c>.</summary>
    Dec,

    /// <summary>Lowercase hexadecimal with a <c>0x</c> prefix: <c>0x17e9fb8df16c2e</c>.</summary>
    Hex,

    /// <summary>Four dot-separated groups of four hex digits: <c>0017.e9fb.8df1.6c2e</c>.</summary>
    Dothex,

    /// <summary>The job's KVS directory name: <c>job.0017.e9fb.8df1.6c2e</c>.</summary>
    Kvs,

    /// <summary>Mnemonicode words: <c>reform-remote-galileo--heart-package-academy</c>.</summary>
    Words,

    /// <summary>
    /// Base58 with the <c>ƒ</c> (U+0192) prefix, or <c>f</c> when <see cref="Fluid.UseAsciiF58"/> says the
    /// environment cannot show it: <c>ƒuZZybuNNy</c>.
    /// </summary>
    F58,

    /// <summary>Base58 with the ASCII <c>f</c> prefix always: <c>fuZZybuNNy</c>.</summary>
    F58Plain,

    /// <summary>Base 576 over flux-core's emoji table: <c>🚹💂🙌😳💱🏃</c>.</summary>
    Emoji,
}
