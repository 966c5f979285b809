// PMI_process_mapping (RFC 13) from the job's task map (RFC 34), which MPI uses to find its node-local peers.
using System.Text;
using System.Text.Json.Nodes;

namespace Flux.ShellPlugins.Pmi;

/// <summary>
/// Encodes an RFC 34 task map, blocks of <c>[nodeid, nnodes, ppn, repeat]</c>, as MPICH's
/// <c>(vector,(nodeid,nnodes,ppn),...)</c>: each block once per repeat, as flux-core's taskmap_encode
/// does. MPICH works without the key, but MVAPICH2 fails MPI_Init and Open MPI may pick clashing
/// shared memory names (flux-core#3592, #3551), so the shell always sets it unless <c>pmi-simple.nomap</c>.
/// </summary>
public static class PmiProcessMapping
{
    /// <exception cref="FormatException">The task map is not a list of four non-negative integers per block.</exception>
    public static string Encode(JsonArray taskmap)
    {
        ArgumentNullException.ThrowIfNull(taskmap);
        var sb = new StringBuilder("(vector");
        foreach (var block in taskmap)
        {
            if (block is not JsonArray { Count: 4 } b || !TryInts(b, out var nodeid, out var nnodes, out var ppn, out var repeat))
            {
                throw new FormatException($"task map block {block?.ToJsonString()} is not [nodeid, nnodes, ppn, repeat]");
            }
            for (var i = 0; i < repeat; i++)
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $",({nodeid},{nnodes},{ppn})");
            }
        }
        return sb.Append(')').ToString();
    }

    private static bool TryInts(JsonArray b, out int nodeid, out int nnodes, out int ppn, out int repeat)
    {
        nodeid = nnodes = ppn = repeat = 0;
        return b[0] is JsonValue v0 && v0.TryGetValue(out nodeid) && nodeid >= 0
            && b[1] is JsonValue v1 && v1.TryGetValue(out nnodes) && nnodes >= 0
            && b[2] is JsonValue v2 && v2.TryGetValue(out ppn) && ppn >= 0
            && b[3] is JsonValue v3 && v3.TryGetValue(out repeat) && repeat >= 0;
    }
}
