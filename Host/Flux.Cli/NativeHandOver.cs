// Hands a command over from the native flux to its JIT-hosted companion flux-jit (execv), for plugin loading.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Flux.Abstractions;

namespace Flux.Cli;

/// <summary>
/// The <c>flux</c> users run is published NativeAOT: it starts in a few milliseconds but cannot
/// load assemblies. When a command needs a plugin assembly (a connector that is not compiled in,
/// a module's metadata read by loading it, ...), the native command replaces itself (execv) with
/// <c>flux-jit</c> from the same folder: the same command built JIT-hosted (ReadyToRun), run with
/// the same arguments. execv keeps the pid, the environment, stdin/stdout/stderr and the terminal,
/// so signals (Ctrl-C) reach the companion and its exit code is the command's.
/// </summary>
internal static class NativeHandOver
{
    /// <summary>The companion's file name, beside the native executable.</summary>
    public const string CompanionProgram = "flux-jit";

    /// <summary>Set in the companion's environment when the native command handed over (for tests and diagnostics).</summary>
    public const string HandedOverVariable = "FLUX_CLI_HANDED_OVER";

    /// <summary>Whether this process is the native (NativeAOT) command; the AOT compiler treats it as a constant.</summary>
    public static bool IsNative => !RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>The companion's path.</summary>
    public static string CompanionPath => Path.Combine(AppContext.BaseDirectory, CompanionProgram);

    /// <summary>Runs the command line in the companion because of WHY (what needs loading); returns only by throwing when it cannot.</summary>
    public static int Exec(string[] args, string why)
    {
        var path = CompanionPath;
        if (!File.Exists(path))
        {
            throw new FluxException(Errno.ENOENT, $"{why}: this flux command is native (NativeAOT) and cannot load plugin assemblies; and {path} (its JIT-hosted companion, which can) is missing: rebuild with ./build.sh");
        }
        Console.Out.Flush();
        Console.Error.Flush();
        SetNativeEnvironment(HandedOverVariable, why);
        var errno = Execv(path, [path, .. args]);
        throw new FluxException(errno, $"{why}: cannot run {path}, the JIT-hosted companion that loads plugins: {Errno.Describe(errno)}");
    }

    /// <summary>
    /// Sets a variable in the native environment (environ), which is what execv passes on:
    /// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only the runtime's copy.
    /// </summary>
    public static void SetNativeEnvironment(string name, string value)
    {
        var n = Marshal.StringToCoTaskMemUTF8(name);
        var v = Marshal.StringToCoTaskMemUTF8(value);
        _ = setenv(n, v, 1);
        Marshal.FreeCoTaskMem(n);
        Marshal.FreeCoTaskMem(v);
    }

    /// <summary>execv(2) with UTF-8 strings marshalled by hand (blittable, so the same in a native build); returns errno.</summary>
    public static int Execv(string path, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var native = new IntPtr[argv.Count + 1];
        var file = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            for (var i = 0; i < argv.Count; i++)
            {
                native[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
            }
            // execv returns only on failure (-1, errno set).
            return execv(file, native) == -1 ? Marshal.GetLastPInvokeError() : Errno.EIO;
        }
        finally
        {
            foreach (var p in native)
            {
                Marshal.FreeCoTaskMem(p);
            }
            Marshal.FreeCoTaskMem(file);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int execv(IntPtr path, IntPtr[] argv);

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(IntPtr name, IntPtr value, int overwrite);
}
