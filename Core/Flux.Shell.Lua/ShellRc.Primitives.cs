// The host primitives Lua/sandbox.lua and Lua/rc.lua build the initrc API on: each returns true and its
// results, or false and a message, and never raises a Lua error itself.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KeraLua;
using LuaState = KeraLua.Lua;

namespace Flux.Shell.Lua;

public sealed partial class ShellRc
{
    /// <summary>An rc file larger than this is refused before it is read.</summary>
    private const long MaxRcFileBytes = 4L * 1024 * 1024;

    /// <summary>Pushes a fresh table of primitives; the setup chunks keep it in locals that no script can reach.</summary>
    private void PushPrimitives()
    {
        _lua.CreateTable(0, 32);
        Add("expired", l => Expired(l));
        Add("aborted", l => Push(l, _aborted));
        Add("print", l => Done(l, () => _host.Print(Arg(l, 1) ?? "")));
        Add("module", l => Module(l));
        Add("log", l => Done(l, () => _host.Log((ShellRcLogLevel)l.ToInteger(1), Arg(l, 2), (int)l.ToInteger(3), Arg(l, 4) ?? "")));
        Add("die", l => Die(l));
        Add("info", l => PushJson(l, _host.GetInfo()));
        Add("rankinfo", l => PushJson(l, _host.GetRankInfo((int)l.ToInteger(1))));
        Add("getopt", l => PushJson(l, _host.GetOption(Need(l, 1))));
        Add("setopt", l => Done(l, () => _host.SetOption(Need(l, 1), LuaValues.ToJson(l, 2))));
        Add("getverbose", l => Push(l, _host.Verbose));
        Add("setverbose", l => Done(l, () => _host.Verbose = (int)l.ToInteger(1)));
        Add("getenv", l => GetEnv(l));
        Add("setenv", l => Done(l, () => _host.SetEnv(Need(l, 1), Need(l, 2), l.ToBoolean(3)), result: true));
        Add("unsetenv", l => Done(l, () => _host.UnsetEnv(Need(l, 1)), result: true));
        Add("searchpath", l => Push(l, _host.PluginSearchPath));
        Add("setsearchpath", l => Done(l, () => _host.PluginSearchPath = Need(l, 1)));
        Add("pluginload", l => LoadPlugins(l));
        Add("register", l => Register(l));
        Add("intask", l => Push(l, _host.CurrentTask is not null));
        Add("taskinfo", l => PushJson(l, Task.GetInfo()));
        Add("taskgetenv", l => Push(l, Task.GetEnv(Need(l, 1))));
        Add("tasksetenv", l => Done(l, () => Task.SetEnv(Need(l, 1), Need(l, 2), l.ToBoolean(3)), result: true));
        Add("taskunsetenv", l => Done(l, () => Task.UnsetEnv(Need(l, 1))));
        Add("glob", l => Glob(l));
        Add("exists", l => Push(l, File.Exists(Resolve(Need(l, 1))) || Directory.Exists(Resolve(Need(l, 1)))));
        Add("loadfile", l => LoadFile(l));
    }

    private IShellRcTask Task => _host.CurrentTask ?? throw new InvalidOperationException("attempt to access task outside of task context");

    private void Add(string name, Func<LuaState, int> body)
    {
        LuaFunction f = state => Primitive(state, body);
        _primitives.Add(f);
        _lua.PushString(name);
        _lua.PushCFunction(f);
        _lua.RawSet(-3);
    }

    /// <summary>Runs a primitive: no exception leaves it (it would crash the process from a native callback).</summary>
    private int Primitive(IntPtr state, Func<LuaState, int> body)
    {
        var l = LuaState.FromIntPtr(state);
        int top = l.GetTop();
        _memory.Suspended++;
        try
        {
            l.CheckStack(8);
            int n = body(l);
            l.PushBoolean(true);
            l.Insert(-(n + 1));
            return n + 1;
        }
        catch (Exception e)
        {
            l.SetTop(top);
            l.PushBoolean(false);
            l.PushString(e.Message);
            return 2;
        }
        finally
        {
            _memory.Suspended--;
        }
    }

    private static string? Arg(LuaState l, int i) => l.Type(i) is LuaType.String or LuaType.Number ? l.ToString(i, false) : null;

    private static string Need(LuaState l, int i) => Arg(l, i) ?? throw new ArgumentException($"argument {i}: a string is required");

    private static int Done(LuaState l, Action action, bool result = false)
    {
        action();
        return result ? Push(l, true) : 0;
    }

    private static int Push(LuaState l, bool value)
    {
        l.PushBoolean(value);
        return 1;
    }

    private static int Push(LuaState l, long value)
    {
        l.PushInteger(value);
        return 1;
    }

    private static int Push(LuaState l, string? value)
    {
        if (value is null)
        {
            l.PushNil();
        }
        else
        {
            l.PushString(value);
        }
        return 1;
    }

    private static int PushJson(LuaState l, JsonNode? node)
    {
        LuaValues.Push(l, node);
        return 1;
    }

    private int Expired(LuaState l)
    {
        if (Stopwatch.GetTimestamp() <= _deadline)
        {
            return 0;
        }
        _aborted = true;
        l.PushString(string.Create(CultureInfo.InvariantCulture,
            $"the script ran past the shell's Lua time limit of {_options.TimeLimit.TotalSeconds:0.###}s (an endless loop?)"));
        return 1;
    }

    private int Die(LuaState l)
    {
        _aborted = true;
        _died = true;
        _host.Die(Arg(l, 1), (int)l.ToInteger(2), Arg(l, 3) ?? "");
        return 0;
    }

    private int GetEnv(LuaState l)
    {
        if (l.GetTop() == 0)
        {
            LuaValues.Push(l, _host.GetEnvironment());
            return 1;
        }
        return Push(l, _host.GetEnv(Need(l, 1)));
    }

    private int Module(LuaState l)
    {
        string name = Need(l, 1);
        string chunkName = "@" + name.Replace('.', '/') + ".lua";
        if (name == "flux.shell")
        {
            return LoadEmbedded(l, "flux/shell.lua", chunkName) == LuaStatus.OK ? 1 : throw new InvalidOperationException(l.ToString(-1, false));
        }
        string? source = _options.Modules.GetValueOrDefault(name);
        if (source is null)
        {
            l.PushNil();
            return 1;
        }
        if (l.LoadBuffer(Encoding.UTF8.GetBytes(source), chunkName, "t") != LuaStatus.OK)
        {
            throw new InvalidOperationException(l.ToString(-1, false));
        }
        return 1;
    }

    /// <summary>Compiles an rc file as text with chunk name "@path", so that errors read "path:LINE: ...".</summary>
    private int LoadFile(LuaState l)
    {
        string path = Need(l, 1);
        var info = new FileInfo(Resolve(path));
        if (info.Exists && info.Length > MaxRcFileBytes)
        {
            throw new IOException($"{path}: larger than {MaxRcFileBytes} bytes");
        }
        var chunkName = "@" + path;
        var stamp = (info.FullName, chunkName, info.Exists ? info.Length : -1, info.Exists ? info.LastWriteTimeUtc.Ticks : 0);
        if (CompiledFiles.TryGetValue(stamp, out var bytecode) && l.LoadBuffer(bytecode, chunkName, "b") == LuaStatus.OK)
        {
            return 1;
        }
        byte[] text = File.ReadAllBytes(info.FullName);
        if (l.LoadBuffer(text, chunkName, "t") == LuaStatus.OK)
        {
            Remember(l, stamp);
            return 1;
        }
        l.PushNil();
        l.Insert(-2);
        return 2;
    }

    // An rc file's bytecode, compiled once per process for each version of the file (path, size and
    // modification time): every job's Lua state runs the system initrc and its lua.d scripts, and
    // compiling their text was a good part of that. Only bytecode compiled here from a file's text is
    // loaded in binary mode; a script itself can still load text only.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Path, string Chunk, long Length, long Ticks), byte[]> CompiledFiles = new();
    private const int MaxCompiledFiles = 256;

    private static void Remember(LuaState l, (string, string, long, long) stamp)
    {
        if (CompiledFiles.Count >= MaxCompiledFiles)
        {
            CompiledFiles.Clear();
        }
        if (Bytecode(l) is { } bytecode)
        {
            CompiledFiles[stamp] = bytecode;
        }
    }

    private string Resolve(string path) => FileGlob.Resolve(path, _options.WorkingDirectory);

    private int Glob(LuaState l)
    {
        var files = FileGlob.Expand(Need(l, 1), _options.WorkingDirectory);
        l.CreateTable(files.Count, 0);
        for (int i = 0; i < files.Count; i++)
        {
            l.PushString(files[i]);
            l.RawSetInteger(-2, i + 1);
        }
        return 1;
    }

    /// <summary>
    /// plugin.load: a pattern starting with '/', '~' or './' (or any, without a search path) is globbed as is;
    /// otherwise in every search path folder, last folder first, since the last plugin loaded wins (plugstack.c).
    /// A bare name that matches no file (no glob, no '/', no .dll/.so/.lua) is a C# plugin's [FluxPlugin] name,
    /// which the host finds on its plugin path and among the installed plugin packages (flux plugin install).
    /// Returns the number of files (or plugins by name) matched and the .lua files among them, which the host
    /// does not load: rc.lua sources them.
    /// </summary>
    private int LoadPlugins(LuaState l)
    {
        string pattern = Need(l, 1);
        var conf = l.Type(2) == LuaType.Table ? LuaValues.ToJson(l, 2) as JsonObject ?? [] : [];
        string searchPath = _host.PluginSearchPath ?? "";
        var dirs = searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries);
        bool direct = dirs.Length == 0 || pattern.StartsWith('/') || pattern.StartsWith('~') || pattern.StartsWith("./", StringComparison.Ordinal);
        var patterns = direct ? [pattern] : dirs.Reverse().Select(d => d + "/" + pattern).ToArray();
        long loaded = 0;
        var luaFiles = new List<string>();
        foreach (var p in patterns)
        {
            foreach (var file in FileGlob.Expand(p, _options.WorkingDirectory))
            {
                if (file.EndsWith(".lua", StringComparison.Ordinal))
                {
                    // A Lua plugin file is an rc file of its own: rc.lua sources it.
                    luaFiles.Add(file);
                    loaded++;
                    continue;
                }
                try
                {
                    _host.LoadPlugin(Resolve(file), (JsonObject)conf.DeepClone());
                }
                catch (Exception e)
                {
                    throw new InvalidOperationException($"plugin.load: {pattern}: {e.Message}", e);
                }
                loaded++;
            }
        }
        if (loaded == 0 && IsPluginName(pattern))
        {
            try
            {
                _host.LoadPlugin(pattern, (JsonObject)conf.DeepClone());
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"plugin.load: {pattern}: {e.Message}", e);
            }
            loaded++;
        }
        l.PushInteger(loaded);
        l.CreateTable(luaFiles.Count, 0);
        for (int i = 0; i < luaFiles.Count; i++)
        {
            l.PushString(luaFiles[i]);
            l.RawSetInteger(-2, i + 1);
        }
        return 2;
    }

    private static bool IsPluginName(string pattern) =>
        pattern.Length > 0 && !FileGlob.IsPattern(pattern) && pattern.AsSpan().IndexOfAny("/~") < 0
        && !pattern.EndsWith(".dll", StringComparison.Ordinal) && !pattern.EndsWith(".so", StringComparison.Ordinal) && !pattern.EndsWith(".lua", StringComparison.Ordinal);

    /// <summary>plugin.register, after rc.lua checked the table: refs each fn and hands the handlers to the host.</summary>
    private int Register(LuaState l)
    {
        string name = Need(l, 1);
        var refs = new List<int>();
        var handlers = new List<ShellRcHandler>();
        for (long i = 1; ; i++)
        {
            if (l.RawGetInteger(2, i) != LuaType.Table)
            {
                l.Pop(1);
                break;
            }
            l.PushString("topic");
            l.RawGet(-2);
            string topic = l.ToString(-1, false);
            l.Pop(1);
            l.PushString("fn");
            l.RawGet(-2);
            int fnRef = l.Ref(LuaRegistry.Index);
            l.Pop(1);
            refs.Add(fnRef);
            handlers.Add(new ShellRcHandler(topic, (t, _) => ValueTask.FromResult(InvokeHandler(name, fnRef, t))));
        }
        try
        {
            _host.RegisterPlugin(name, handlers);
        }
        catch
        {
            refs.ForEach(r => l.Unref(LuaRegistry.Index, r));
            throw;
        }
        if (_pluginRefs.Remove(name, out var old))
        {
            old.ForEach(r => l.Unref(LuaRegistry.Index, r));
        }
        _pluginRefs[name] = refs;
        return 0;
    }
}
