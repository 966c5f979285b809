// RFC 10 blobrefs: "<algo>-<lowercase hex digest>" for the sha1 and sha256 hashes of a blob.
using System.Security.Cryptography;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// The hash an instance chose (the <c>content.hash</c> attribute, RFC 10): computes raw digests and
/// converts between raw digests, which <c>content.load</c>/<c>content.store</c> carry on the wire,
/// and blobref strings.
/// </summary>
public sealed class BlobHash
{
    private BlobHash(string name, int size)
    {
        Name = name;
        DigestSize = size;
    }

    /// <summary>The algorithm name used as blobref prefix.</summary>
    public string Name { get; }

    /// <summary>The raw digest size in bytes.</summary>
    public int DigestSize { get; }

    /// <summary>Returns the hash named by <c>content.hash</c> (null means the default, sha1).</summary>
    public static BlobHash Parse(string? name) => (name ?? "sha1") switch
    {
        "sha1" => new BlobHash("sha1", SHA1.HashSizeInBytes),
        "sha256" => new BlobHash("sha256", SHA256.HashSizeInBytes),
        _ => throw new FluxException(Errno.EINVAL, $"content.hash: unknown hash '{name}' (expected sha1 or sha256)"),
    };

    /// <summary>The raw digest of a blob.</summary>
    public byte[] Digest(ReadOnlySpan<byte> blob)
    {
#pragma warning disable CA5350 // RFC 10 names sha1 as the default content hash; it is an address, not a signature.
        return DigestSize == SHA1.HashSizeInBytes ? SHA1.HashData(blob) : SHA256.HashData(blob);
#pragma warning restore CA5350
    }

    /// <summary>The blobref of a raw digest.</summary>
    public string ToBlobref(ReadOnlySpan<byte> digest) => Name + "-" + Convert.ToHexStringLower(digest);

    /// <summary>The raw digest of a blobref; throws EINVAL for a malformed one or another hash.</summary>
    public byte[] ToDigest(string blobref)
    {
        ArgumentNullException.ThrowIfNull(blobref);
        var prefix = Name + "-";
        if (!blobref.StartsWith(prefix, StringComparison.Ordinal) || blobref.Length != prefix.Length + 2 * DigestSize)
        {
            throw new FluxException(Errno.EINVAL, $"invalid blobref '{blobref}' (expected {Name}-<{2 * DigestSize} hex digits>)");
        }
        try
        {
            return Convert.FromHexString(blobref.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            throw new FluxException(Errno.EINVAL, $"invalid blobref '{blobref}': not hexadecimal");
        }
    }

    /// <summary>Checks that a raw digest from the wire has this hash's size.</summary>
    public void CheckDigest(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != DigestSize)
        {
            throw new FluxException(Errno.EPROTO, $"expected a {DigestSize}-byte {Name} digest, got {digest.Length} bytes");
        }
    }
}
