// One topic-glob handler of a Lua plugin, in the shape the shell's plugin stack registers.
using System.Text.Json.Nodes;

namespace Flux.Shell.Lua;

/// <summary>
/// A handler from <c>plugin.register</c>: <see cref="Topic"/> is its glob, <see cref="Invoke"/> runs the Lua
/// function with the topic (Lua handlers get no arguments, as in flux-core). The result is false when the
/// function returned false or nil, raised an error (logged as "lua plugin NAME: FILE:LINE: ..."), or ran
/// out of time: the shell then fails the callback.
/// </summary>
public sealed record ShellRcHandler(string Topic, Func<string, JsonObject, ValueTask<bool>> Invoke);
