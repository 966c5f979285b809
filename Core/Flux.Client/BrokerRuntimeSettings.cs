// Runtime settings the broker needs before its runtime starts, which flux start passes in its environment.
namespace Flux.Client;

/// <summary>
/// The .NET runtime reads some settings only from the environment, once, when it starts; the broker cannot set
/// them for itself, so <c>flux start</c> puts them in the environment it hands to <c>flux-broker</c> (execv), and
/// the broker removes them from its own environment at once, so that the processes it starts (the initial
/// program, scripts, shell hosts) and the environment of jobs submitted from them do not inherit them.
/// A variable the user set is left as it is, in both.
/// <para>
/// <c>DOTNET_TC_CallCountingDelayMs=10</c>: the runtime recompiles a hot method at full optimisation (tier 1)
/// only once no new method has been compiled for this delay (100 ms by default). A broker running jobs keeps
/// meeting new code paths, so at 100 ms its hot paths stayed at tier 0 for hundreds of jobs and the tier-1
/// compiler took 29% of its CPU in the steady state (300 jobs after start, real execution, 2 cores).
/// At 10 ms the broker's CPU per job fell from 8.3 to 5.1 ms and the rate rose by a third; at 0 (every method
/// counted from its first call), `flux start true` took 70 ms more, at 10 ms about 40.
/// </para>
/// </summary>
public static class BrokerRuntimeSettings
{
    /// <summary>The tier-up delay variable and the broker's value.</summary>
    public const string TieringDelayVariable = "DOTNET_TC_CallCountingDelayMs";

    /// <summary>The broker's tier-up delay in milliseconds (the runtime's default is 100).</summary>
    public const string TieringDelay = "10";

    // Names the variables flux start added (not the user), for the broker to remove.
    private const string AddedVariable = "FLUX_START_RUNTIME_SETTINGS";

    /// <summary>The variables to add to the environment handed to flux-broker: those the user did not set, and the list of them.</summary>
    public static IReadOnlyList<(string Name, string Value)> ForExec()
    {
        if (Environment.GetEnvironmentVariable(TieringDelayVariable) is not null)
        {
            return [];
        }
        return [(TieringDelayVariable, TieringDelay), (AddedVariable, TieringDelayVariable)];
    }

    /// <summary>In the broker: removes from its environment what flux start added (the runtime has read it).</summary>
    public static void Scrub()
    {
        if (Environment.GetEnvironmentVariable(AddedVariable) is not { } added)
        {
            return;
        }
        foreach (var name in added.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Environment.SetEnvironmentVariable(name, null);
        }
        Environment.SetEnvironmentVariable(AddedVariable, null);
    }
}
