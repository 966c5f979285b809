// flux-core's module state numbers (module.list "status") and their one-letter form.
namespace Flux.Core.Modules;

/// <summary>
/// Maps the one-letter module state (I, R, F, E) to flux-core's integer state in
/// <c>module.list</c> responses (src/broker/module.h: INIT=0, RUNNING=1, FINALIZING=2, EXITED=3).
/// </summary>
internal static class ModuleStates
{
    /// <summary>The integer flux-core puts in <c>status</c> for a state letter.</summary>
    public static int ToWire(char state) => state switch
    {
        'I' => 0,
        'R' => 1,
        'F' => 2,
        'E' => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown module state"),
    };
}
