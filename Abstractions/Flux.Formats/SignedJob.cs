// J, the signed job request (RFC 39 with mechanism "none", header in RFC 38 key-value encoding).
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// Wraps and unwraps J: <c>base64(HEADER).base64(PAYLOAD).SIGNATURE</c>, where HEADER is the
/// RFC 38 encoding of <c>version</c> (i), <c>userid</c> (i) and <c>mechanism</c> (s), PAYLOAD is
/// the jobspec, and the signature of mechanism <c>none</c> is the word <c>none</c> (single-user
/// instances). The broker never verifies a signature (RFC 15); it checks the header's userid
/// against the authenticated submitter.
/// </summary>
public static class SignedJob
{
    /// <summary>Wraps a jobspec for a user with mechanism <c>none</c>.</summary>
    public static string Wrap(string jobspecJson, uint userid)
    {
        ArgumentNullException.ThrowIfNull(jobspecJson);
        var header = string.Create(CultureInfo.InvariantCulture, $"version\0i1\0userid\0i{userid}\0mechanism\0snone\0");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(header)) + "." + Convert.ToBase64String(Encoding.UTF8.GetBytes(jobspecJson)) + ".none";
    }

    /// <summary>Unwraps J into the signer's userid, mechanism and jobspec text. EINVAL for malformed J.</summary>
    public static (uint UserId, string Mechanism, string Jobspec) Unwrap(string j)
    {
        ArgumentNullException.ThrowIfNull(j);
        var parts = j.Split('.');
        if (parts.Length != 3)
        {
            throw new FluxException(Errno.EINVAL, "J: expected HEADER.PAYLOAD.SIGNATURE");
        }
        string header;
        string payload;
        try
        {
            header = Encoding.UTF8.GetString(Convert.FromBase64String(parts[0]));
            payload = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1]));
        }
        catch (FormatException)
        {
            throw new FluxException(Errno.EINVAL, "J: header or payload is not base64");
        }
        var fields = header.Split('\0');
        var kv = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            if (fields[i + 1].Length == 0)
            {
                throw new FluxException(Errno.EINVAL, $"J: header field '{fields[i]}' has no type");
            }
            kv[fields[i]] = fields[i + 1];
        }
        if (!kv.TryGetValue("userid", out var uid) || uid[0] != 'i' || !uint.TryParse(uid.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var userid))
        {
            throw new FluxException(Errno.EINVAL, "J: header has no integer userid");
        }
        var mech = kv.TryGetValue("mechanism", out var m) && m[0] == 's' ? m[1..] : throw new FluxException(Errno.EINVAL, "J: header has no mechanism");
        if (mech == "none" && parts[2] != "none")
        {
            throw new FluxException(Errno.EINVAL, "J: mechanism none must carry the signature 'none'");
        }
        _ = JsonNode.Parse(payload);
        return (userid, mech, payload);
    }
}
