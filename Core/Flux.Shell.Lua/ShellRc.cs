// The initrc.lua engine: one sandboxed Lua state per job shell, running rc files and Lua plugin handlers.
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using KeraLua;
using LuaState = KeraLua.Lua;

namespace Flux.Shell.Lua;

/// <summary>
/// Runs a shell's initrc (flux-shell-initrc(5)) against an <see cref="IShellRcHost"/>: the top-level rc file,
/// what it sources, and later the handlers its <c>plugin.register</c> calls gave the host. One Lua state per
/// shell, as in flux-core; calls are serialized, since a Lua state is not thread-safe.
/// </summary>
/// <remarks>
/// No Lua error ever unwinds through a managed frame: Lua raises errors with longjmp, which must not cross
/// .NET code. Host primitives therefore never raise; they return <c>false, message</c>, and Lua code
/// (Lua/rc.lua) raises the error at the script's line. Every entry into Lua is a protected call.
/// </remarks>
public sealed partial class ShellRc : IDisposable
{
    private const int MultipleResults = -1;

    private readonly IShellRcHost _host;
    private readonly ShellRcOptions _options;
    private readonly string _rcFile;
    private readonly LuaAllocator _memory;
    private readonly LuaAlloc _allocate;
    private readonly LuaState _lua;
    private readonly Lock _gate = new();
    private readonly List<LuaFunction> _primitives = [];
    private readonly Dictionary<string, List<int>> _pluginRefs = new(StringComparer.Ordinal);
    private readonly int _entryRef;
    private int _depth;
    private long _deadline;
    private bool _aborted;
    private bool _died;
    private bool _ran;
    private bool _disposed;

    /// <summary>Creates the sandboxed state for <paramref name="rcFile"/>, whose folder becomes <c>shell.rcpath</c>.</summary>
    public ShellRc(IShellRcHost host, string rcFile, ShellRcOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentException.ThrowIfNullOrEmpty(rcFile);
        _host = host;
        _rcFile = rcFile;
        _options = options ?? new ShellRcOptions();
        _memory = new LuaAllocator(_options.MemoryLimit);
        _allocate = _memory.Allocate;
        _lua = new LuaState(_allocate, IntPtr.Zero);
        // KeraLua converts strings between .NET and Lua with Encoding.ASCII unless told otherwise: every
        // byte of a non-ASCII character in initrc (a plugin's conf, shell.setenv) became '?'. Lua
        // strings are bytes; the shell's are UTF-8, as the rc files it loads are.
        _lua.Encoding = Encoding.UTF8;
        try
        {
            _lua.OpenLibs();
            PushPrimitives();
            RunSetupChunk("sandbox.lua", 0);
            PushPrimitives();
            RunSetupChunk("rc.lua", 1);
            _entryRef = _lua.Ref(LuaRegistry.Index);
        }
        catch
        {
            _lua.Dispose();
            throw;
        }
    }

    /// <summary>The default system initrc shipped beside this assembly (its lua.d folder next to it).</summary>
    public static string DefaultInitrc =>
        Path.Combine(Path.GetDirectoryName(typeof(ShellRc).Assembly.Location) ?? AppContext.BaseDirectory, "shell", "initrc.lua");

    /// <summary>
    /// Runs the rc file once. Errors are logged through the host as flux-core's shell logs them, then thrown
    /// as a <see cref="ShellRcException"/> whose message names the file and line.
    /// </summary>
    public void Run()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_ran)
            {
                throw new InvalidOperationException("the rc file has already run");
            }
            _ran = true;
            int top = _lua.GetTop();
            try
            {
                _lua.RawGetInteger(LuaRegistry.Index, _entryRef);
                _lua.PushString(_rcFile);
                _lua.PushString(RcPath(_rcFile));
                var status = ProtectedCall(2, 2);
                if (status != LuaStatus.OK)
                {
                    string message = ErrorText(-1);
                    if (!_died)
                    {
                        _host.Log(ShellRcLogLevel.Error, null, -1, message);
                    }
                    throw new ShellRcException(message) { Died = _died };
                }
                if (!_lua.ToBoolean(top + 1))
                {
                    throw new ShellRcException(ErrorText(top + 2));
                }
            }
            finally
            {
                _lua.SetTop(top);
            }
        }
    }

    /// <summary>Closes the Lua state; handlers called later fail.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _lua.Dispose();
            GC.KeepAlive(_allocate);
        }
    }

    private bool InvokeHandler(string plugin, int fnRef, string topic)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                _host.Log(ShellRcLogLevel.Error, null, -1, $"lua plugin {plugin}: the Lua state is closed");
                return false;
            }
            int top = _lua.GetTop();
            try
            {
                _lua.RawGetInteger(LuaRegistry.Index, fnRef);
                _lua.PushString(topic);
                var status = ProtectedCall(1, MultipleResults);
                if (status != LuaStatus.OK)
                {
                    if (!_died)
                    {
                        _host.Log(ShellRcLogLevel.Error, null, -1, $"lua plugin {plugin}: {ErrorText(-1)}");
                    }
                    return false;
                }
                // No result is success; an explicit false or nil fails the callback (rc.c lua_plugin_cb).
                return _lua.GetTop() == top || _lua.ToBoolean(top + 1);
            }
            finally
            {
                _lua.SetTop(top);
            }
        }
    }

    /// <summary>A protected call with the time limit armed and the memory limit enforced (the outermost entry arms them).</summary>
    private LuaStatus ProtectedCall(int arguments, int results)
    {
        bool outermost = _depth++ == 0;
        if (outermost)
        {
            _deadline = Stopwatch.GetTimestamp() + (long)(_options.TimeLimit.TotalSeconds * Stopwatch.Frequency);
            _aborted = false;
            _died = false;
        }
        int suspended = _memory.Suspended;
        _memory.Suspended = 0;
        try
        {
            return _lua.PCall(arguments, results, 0);
        }
        finally
        {
            _memory.Suspended = suspended;
            _depth--;
        }
    }

    private string ErrorText(int index) => _lua.Type(index) switch
    {
        LuaType.String or LuaType.Number => _lua.ToString(index, false),
        LuaType.Nil => "(no error message)",
        var t => $"(error object is a {_lua.TypeName(t)} value)",
    };

    private static string RcPath(string rcFile)
    {
        string? dir = Path.GetDirectoryName(rcFile);
        return string.IsNullOrEmpty(dir) ? "." : dir;
    }

    /// <summary>Compiles and runs one of the engine's own chunks with the primitives table on the stack as its argument.</summary>
    private void RunSetupChunk(string name, int results)
    {
        int top = _lua.GetTop();
        if (LoadEmbedded(_lua, name, "=[shell " + name + "]") != LuaStatus.OK)
        {
            throw new InvalidOperationException(ErrorText(-1));
        }
        _lua.Insert(top);
        if (_lua.PCall(1, results, 0) != LuaStatus.OK)
        {
            throw new InvalidOperationException(ErrorText(-1));
        }
    }

    /// <summary>
    /// Loads one of the engine's own chunks. A shell creates a Lua state per job, and compiling these chunks from
    /// text was most of that state's cost: each is compiled once per process and later states load the bytecode
    /// (this binary mode is the engine's own; scripts load text only). Returns Lua's status, the function or
    /// error on the stack.
    /// </summary>
    internal static LuaStatus LoadEmbedded(LuaState lua, string name, string chunkName)
    {
        if (Compiled.TryGetValue(name, out var bytecode))
        {
            return lua.LoadBuffer(bytecode, chunkName, "b");
        }
        string source = EmbeddedSource(name) ?? throw new InvalidOperationException($"{name} is missing from the assembly");
        var status = lua.LoadBuffer(Encoding.UTF8.GetBytes(source), chunkName, "t");
        if (status == LuaStatus.OK && Bytecode(lua) is { } compiled)
        {
            Compiled.TryAdd(name, compiled);
        }
        return status;
    }

    /// <summary>The bytecode of the function on top of the stack (debug information kept, so errors name file and line), or null.</summary>
    internal static byte[]? Bytecode(LuaState lua)
    {
        using var dump = new MemoryStream();
        LuaWriter writer = (_, p, size, _) =>
        {
            var chunk = new byte[checked((int)size)];
            System.Runtime.InteropServices.Marshal.Copy(p, chunk, 0, chunk.Length);
            dump.Write(chunk);
            return 0;
        };
        var ok = lua.Dump(writer, IntPtr.Zero, false) == 0;
        GC.KeepAlive(writer);
        return ok ? dump.ToArray() : null;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Compiled = new(StringComparer.Ordinal);

    private static string? EmbeddedSource(string name)
    {
        using var stream = typeof(ShellRc).Assembly.GetManifestResourceStream("Flux.Shell.Lua." + name);
        if (stream is null)
        {
            return null;
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
