// RFC 3 message flags, as carried in byte 3 of the proto frame.
namespace Flux.Abstractions;

/// <summary>
/// RFC 3 flags. <see cref="Topic"/>, <see cref="Payload"/> and <see cref="Route"/> describe which frames
/// are present and are computed by the codec from the message; the others are set by senders.
/// </summary>
[Flags]
public enum MessageFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>A topic frame is present.</summary>
    Topic = 0x01,
    /// <summary>A payload frame is present.</summary>
    Payload = 0x02,
    /// <summary>The request expects no response.</summary>
    NoResponse = 0x04,
    /// <summary>A route delimiter (and possibly routes) is present.</summary>
    Route = 0x08,
    /// <summary>The nodeid is the sender's rank, and the request is routed away from it.</summary>
    Upstream = 0x10,
    /// <summary>The event goes only to the instance owner and the sender.</summary>
    Private = 0x20,
    /// <summary>The request expects a stream of responses ending with an error (ENODATA for a normal end).</summary>
    Streaming = 0x40,
    /// <summary>A flag free for the application's use.</summary>
    User1 = 0x80,
}
