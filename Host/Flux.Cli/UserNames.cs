// Maps uids to user names from /etc/passwd, as flux-core's commands print owners.
using System.Globalization;

namespace Flux.Cli;

internal static class UserNames
{
    private static Dictionary<uint, string>? _byUid;

    public static string Name(uint uid)
    {
        _byUid ??= Load();
        return _byUid.TryGetValue(uid, out var n) ? n : uid.ToString(CultureInfo.InvariantCulture);
    }

    public static uint? Uid(string name)
    {
        _byUid ??= Load();
        foreach (var (uid, n) in _byUid)
        {
            if (n == name)
            {
                return uid;
            }
        }
        return uint.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? u : null;
    }

    private static Dictionary<uint, string> Load()
    {
        var map = new Dictionary<uint, string>();
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length > 2 && uint.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
                {
                    map.TryAdd(uid, f[0]);
                }
            }
        }
        catch (IOException)
        {
            // No passwd file: numeric uids are printed.
        }
        return map;
    }
}
