// Source-generated JSON metadata for the broker's hot paths.
using System.Text.Json.Serialization;

namespace Flux.Core.Broker;

[JsonSerializable(typeof(string))]
internal sealed partial class BrokerJson : JsonSerializerContext;
