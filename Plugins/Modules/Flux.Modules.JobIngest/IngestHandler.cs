// One handler a validator or frobnicator registered: synchronous (answers at once) or asynchronous (awaited without holding the loop).
using Flux.Abstractions.Plugins;

namespace Flux.Modules.JobIngest;

internal readonly record struct IngestHandler(PluginHandler? Sync, AsyncPluginHandler? Async);
