// Signal names and numbers (Linux) for --signal and flux job kill.
using System.Globalization;

namespace Flux.Cli.Jobs;

internal static class SignalNames
{
    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
        "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    public static int? Parse(string s)
    {
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n is > 0 and < 65 ? n : null;
        }
        var name = s.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? s[3..] : s;
        var i = Array.FindIndex(Names, x => x.Length > 0 && string.Equals(x, name, StringComparison.OrdinalIgnoreCase));
        return i > 0 ? i : null;
    }

    public static string Name(int signum) => signum > 0 && signum < Names.Length ? "SIG" + Names[signum] : signum.ToString(CultureInfo.InvariantCulture);
}
