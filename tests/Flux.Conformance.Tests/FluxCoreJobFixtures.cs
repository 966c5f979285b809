// A finished job as flux-core 0.88's job-info.eventlog-watch sent it (flux job attach / status / submit --wait).
namespace Flux.Conformance.Tests;

/// <summary>
/// Source: flux-core-0.88-traces/job-attach.trace and job-status.trace (../shared/interop): each
/// string is one <c>{event}</c> response, in order, of the watch of that path of job 34510733312
/// (<c>{"id":34510733312,"path":PATH,"flags":0}</c>); each stream then ended with ENODATA (errnum 61).
/// flux-core's readers: src/common/libjob/result.c (flux_job_result, flux job status),
/// src/cmd/job/attach.c (attach_event_continuation, attach_exec_event_continuation),
/// src/bindings/python/flux/job/event.py (submit --wait's JobWatcher).
/// </summary>
internal static class FluxCoreJobFixtures
{
    public const ulong JobId = 34510733312;

    public static readonly string[] Eventlog =
    [
        """{"timestamp":1796557775.589901,"name":"submit","context":{"userid":0,"urgency":16,"flags":0,"version":1}}""" + "\n",
        """{"timestamp":1796557775.6019831,"name":"validate"}""" + "\n",
        """{"timestamp":1796557775.6156642,"name":"depend"}""" + "\n",
        """{"timestamp":1796557775.6156964,"name":"priority","context":{"priority":16}}""" + "\n",
        """{"timestamp":1796557775.6257124,"name":"alloc","context":{"annotations":{"sched":{"resource_summary":"rank0/core0"}}}}""" + "\n",
        """{"timestamp":1796557775.6391165,"name":"start"}""" + "\n",
        """{"timestamp":1796557775.7123718,"name":"finish","context":{"status":0}}""" + "\n",
        """{"timestamp":1796557775.7264371,"name":"release","context":{"ranks":"all","final":true}}""" + "\n",
        """{"timestamp":1796557775.7265162,"name":"free"}""" + "\n",
        """{"timestamp":1796557775.7265306,"name":"clean"}""" + "\n",
    ];

    public static readonly string[] ExecEventlog =
    [
        """{"timestamp":1796557775.6292799,"name":"init"}""" + "\n",
        """{"timestamp":1796557775.6371248,"name":"starting"}""" + "\n",
        """{"timestamp":1796557775.685241,"name":"shell.init","context":{"service":"0-shell-fuabXgK","leader-rank":0,"size":1}}""" + "\n",
        """{"timestamp":1796557775.695982,"name":"shell.start","context":{"taskmap":{"version":1,"map":[[0,1,1,1]]}}}""" + "\n",
        """{"timestamp":1796557775.7026072,"name":"shell.task-exit","context":{"localid":0,"rank":0,"state":"Exited","pid":15650,"wait_status":0,"signaled":0,"exitcode":0}}""" + "\n",
        """{"timestamp":1796557775.7121744,"name":"shell-exit","context":{"rank":0,"wait_status":0}}""" + "\n",
        """{"timestamp":1796557775.7122207,"name":"complete","context":{"status":0}}""" + "\n",
        """{"timestamp":1796557775.7122633,"name":"done"}""" + "\n",
    ];

    public static readonly string[] Output =
    [
        """{"timestamp":1796557775.6834593,"name":"header","context":{"version":1,"encoding":{"stdout":"UTF-8","stderr":"UTF-8"},"count":{"stdout":1,"stderr":1},"options":{}}}""" + "\n",
        """{"timestamp":1796557775.6994703,"name":"data","context":{"stream":"stderr","rank":"0","eof":true}}""" + "\n",
        """{"timestamp":1796557775.6994913,"name":"data","context":{"stream":"stdout","rank":"0","eof":true}}""" + "\n",
    ];
}
