// Reading the shell options the builtins take: a string, a flag, or absent.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.ShellPlugins.Builtins;

internal static class ShellOption
{
    /// <summary>An option's value as a string (a bare <c>-o NAME</c> is 1), or null when it is not set.</summary>
    public static string? AsString(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    /// <summary>Whether a flag option is set to something true (1, true, a non-empty string other than "0"/"false").</summary>
    public static bool IsTrue(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => value.ToJsonString() is not ("0" or "0.0" or "-0"),
        JsonValueKind.String => value.GetValue<string>() is not ("" or "0" or "false"),
        JsonValueKind.Object or JsonValueKind.Array => true,
        _ => false,
    };
}
