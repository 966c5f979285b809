// The kinds of plugin Flux.NET loads.
namespace Flux.Abstractions;

/// <summary>What a plugin plugs into.</summary>
public enum PluginKind
{
    /// <summary>A broker module: an actor serving one or more services (<c>flux module load</c>).</summary>
    Module = 0,
    /// <summary>A job-manager plugin (<c>flux jobtap load</c>).</summary>
    Jobtap = 1,
    /// <summary>A job shell plugin (<c>plugin.load</c> in initrc.lua).</summary>
    ShellPlugin = 2,
    /// <summary>A connector for a URI scheme.</summary>
    Connector = 3,
    /// <summary>
    /// A job-ingest validator (<c>[ingest.validator] plugins</c>): handles <c>job.validate</c> and
    /// accepts the job or rejects it with a message the submitter sees.
    /// </summary>
    Validator = 4,
    /// <summary>
    /// A job-ingest frobnicator (<c>[ingest.frobnicator] plugins</c>): handles <c>job.frobnicate</c>
    /// and changes the submitted jobspec, in place in IN <c>jobspec</c>, before the validators see it.
    /// </summary>
    Frobnicator = 5,
}
