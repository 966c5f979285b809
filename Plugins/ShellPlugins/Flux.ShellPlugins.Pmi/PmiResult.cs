// PMI-1 result codes carried in the rc= field of responses (RFC 13; flux-core libpmi/pmi.h).

namespace Flux.ShellPlugins.Pmi;

/// <summary>The <c>rc=</c> values the server sends, numbered as PMI-1's pmi.h numbers them.</summary>
internal static class PmiResult
{
    public const int Success = 0;
    public const int Fail = -1;
    public const int InvalidKey = 4;
    public const int InvalidKeyLength = 5;
    public const int InvalidValLength = 7;
    public const int InvalidLength = 8;
}
