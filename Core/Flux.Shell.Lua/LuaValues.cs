// JSON in and out of the Lua stack: the only values that cross between the shell and a script.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KeraLua;
using LuaState = KeraLua.Lua;

namespace Flux.Shell.Lua;

/// <summary>
/// Conversions between JSON and Lua values. Only nil, booleans, numbers, strings and tables cross, so no CLR
/// object ever reaches a script. Tables are read with raw access only: a metamethod run from here could raise
/// a Lua error through this managed frame, which Lua's longjmp must never cross.
/// </summary>
internal static class LuaValues
{
    /// <summary>Deeper than any jobspec or conf: a cycle or a hostile nesting stops here.</summary>
    private const int MaxDepth = 64;

    public static void Push(LuaState l, JsonNode? node, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException("JSON value nested too deeply");
        }
        l.CheckStack(4);
        switch (node)
        {
            case null:
                l.PushNil();
                break;
            case JsonObject obj:
                l.CreateTable(0, obj.Count);
                foreach (var (key, value) in obj)
                {
                    l.PushString(key);
                    Push(l, value, depth + 1);
                    l.RawSet(-3);
                }
                break;
            case JsonArray array:
                l.CreateTable(array.Count, 0);
                for (int i = 0; i < array.Count; i++)
                {
                    Push(l, array[i], depth + 1);
                    l.RawSetInteger(-2, i + 1);
                }
                break;
            default:
                PushScalar(l, node.AsValue());
                break;
        }
    }

    private static void PushScalar(LuaState l, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                l.PushString(value.GetValue<string>());
                break;
            case JsonValueKind.True:
                l.PushBoolean(true);
                break;
            case JsonValueKind.False:
                l.PushBoolean(false);
                break;
            case JsonValueKind.Number:
                // The node may hold an int, a long, a double or a JsonElement: its JSON text is the one form for all.
                string number = value.ToJsonString();
                if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                {
                    l.PushInteger(n);
                }
                else
                {
                    l.PushNumber(double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture));
                }
                break;
            default:
                l.PushNil();
                break;
        }
    }

    public static void Push(LuaState l, IReadOnlyDictionary<string, string> map)
    {
        l.CreateTable(0, map.Count);
        foreach (var (key, value) in map)
        {
            l.PushString(key);
            l.PushString(value);
            l.RawSet(-3);
        }
    }

    /// <summary>The value at <paramref name="index"/> as JSON; functions, userdata and threads cannot be converted.</summary>
    public static JsonNode? ToJson(LuaState l, int index, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException("table nested too deeply (a cycle?)");
        }
        index = l.AbsIndex(index);
        return l.Type(index) switch
        {
            LuaType.None or LuaType.Nil => null,
            LuaType.Boolean => JsonValue.Create(l.ToBoolean(index)),
            LuaType.Number when l.IsInteger(index) => JsonValue.Create(l.ToInteger(index)),
            LuaType.Number => Finite(l.ToNumber(index)),
            LuaType.String => JsonValue.Create(l.ToString(index, false)),
            LuaType.Table => TableToJson(l, index, depth),
            var other => throw new InvalidOperationException($"a {l.TypeName(other)} cannot be converted to JSON"),
        };
    }

    private static JsonValue Finite(double d) =>
        double.IsFinite(d) ? JsonValue.Create(d) : throw new InvalidOperationException("inf or nan cannot be converted to JSON");

    private static JsonNode TableToJson(LuaState l, int index, int depth)
    {
        l.CheckStack(6);
        long length = l.RawLen(index);
        long count = 0;
        var obj = new JsonObject();
        l.PushNil();
        while (l.Next(index))
        {
            count++;
            // A copy of the key: lua_tolstring on a number key in place would break lua_next.
            l.PushCopy(-2);
            string key = l.Type(-1) is LuaType.String or LuaType.Number
                ? l.ToString(-1, false)
                : throw new InvalidOperationException($"a table key of type {l.TypeName(-1)} cannot be converted to JSON");
            l.Pop(1);
            obj[key] = ToJson(l, -1, depth + 1);
            l.Pop(1);
        }
        if (length == 0 || count != length)
        {
            return obj;
        }
        var array = new JsonArray();
        for (long i = 1; i <= length; i++)
        {
            l.RawGetInteger(index, i);
            array.Add(ToJson(l, -1, depth + 1));
            l.Pop(1);
        }
        return array;
    }
}
