// Test module built against an incompatible contract version.
using Flux.Abstractions;

namespace BadContractModule;

[FluxPlugin("badcontract", PluginKind.Module)]
public sealed class BadContractModule;
