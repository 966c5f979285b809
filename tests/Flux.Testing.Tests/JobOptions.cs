// The options of the tests that run jobs: the job pipeline, with the repository's build output as plugin paths.
namespace Flux.Testing.Tests;

internal static class JobOptions
{
    // In the repository the modules and builtins are in the build output; a package's test has them beside it.
    public static FluxTestOptions With(TestExecution execution)
    {
        var o = new FluxTestOptions { Jobs = true, Execution = execution };
        o.ModulePath.Add(Repo.Modules);
        o.JobtapPath.Add(Repo.Jobtap);
        o.ValidatorPath.Add(Repo.Validators);
        return o;
    }
}
