// Severity of a message an initrc logs through the shell (the levels flux-core's shell log uses).
namespace Flux.Shell.Lua;

/// <summary>Levels of shell log messages, most severe first.</summary>
public enum ShellRcLogLevel
{
    /// <summary><c>shell.die</c>.</summary>
    Fatal,

    /// <summary><c>shell.log_error</c> and script errors.</summary>
    Error,

    /// <summary><c>shell.log</c> (flux-core's shells print it as INFO).</summary>
    Notice,

    /// <summary><c>shell.debug</c>, shown at <c>-o verbose</c> 1 and more.</summary>
    Debug,

    /// <summary>Engine detail, shown at <c>-o verbose=2</c>.</summary>
    Trace,
}
