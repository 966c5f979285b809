// RFC 3 message types, as carried in byte 2 of the proto frame.
namespace Flux.Abstractions;

/// <summary>The four RFC 3 message types. Values are the wire values; they also serve as a mask.</summary>
[Flags]
public enum MessageType : byte
{
    /// <summary>No type (used only as an empty mask).</summary>
    None = 0,
    /// <summary>A request to a service.</summary>
    Request = 0x01,
    /// <summary>A response to a request.</summary>
    Response = 0x02,
    /// <summary>An event published at rank 0 and delivered to subscribers.</summary>
    Event = 0x04,
    /// <summary>A control message between peers; never routed.</summary>
    Control = 0x08,
    /// <summary>Every type (a mask for handler registration).</summary>
    All = 0x0F,
}
