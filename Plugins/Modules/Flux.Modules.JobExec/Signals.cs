// Signal names and numbers (Linux), for [exec] term-signal/kill-signal and --signal.
using System.Globalization;

namespace Flux.Modules.JobExec;

internal static class Signals
{
    private static readonly Dictionary<string, int> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["BUS"] = 7, ["FPE"] = 8,
        ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13, ["ALRM"] = 14, ["TERM"] = 15,
        ["CHLD"] = 17, ["CONT"] = 18, ["STOP"] = 19, ["TSTP"] = 20, ["URG"] = 23, ["XCPU"] = 24, ["XFSZ"] = 25,
        ["VTALRM"] = 26, ["PROF"] = 27, ["WINCH"] = 28, ["IO"] = 29, ["PWR"] = 30, ["SYS"] = 31,
    };

    public static bool TryParse(string text, out int signum)
    {
        var t = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        if (ByName.TryGetValue(t, out signum))
        {
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out signum) && signum is > 0 and < 65;
    }

    public static string Name(int signum) =>
        ByName.FirstOrDefault(kv => kv.Value == signum).Key is { } n ? "SIG" + n : signum.ToString(CultureInfo.InvariantCulture);
}
