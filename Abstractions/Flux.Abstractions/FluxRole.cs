// RFC 12 roles: the rolemask of a message's credential.
namespace Flux.Abstractions;

/// <summary>
/// Roles of a credential (RFC 12). The connector stamps them where a connection enters the broker;
/// a handler passes a request when the credential has <see cref="Owner"/> or shares a bit with the
/// handler's allowed mask.
/// </summary>
[Flags]
public enum FluxRole : uint
{
    /// <summary>No role.</summary>
    None = 0,
    /// <summary>The instance owner.</summary>
    Owner = 1,
    /// <summary>A guest user.</summary>
    User = 2,
    /// <summary>The sender is attached to the same broker rank.</summary>
    Local = 4,
    /// <summary>An elevated guest.</summary>
    Admin = 8,
    /// <summary>Every role: a handler open to all authenticated users.</summary>
    All = 0xFFFFFFFF,
}
