// Ends a streaming request early: the service's cancel request, sent without waiting for an answer.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.Cli;

internal static class StreamCancel
{
    /// <summary>
    /// Sends <paramref name="topic"/> {matchtag} with no response expected (kvs-watch.cancel,
    /// job-info.eventlog-watch-cancel). A connection already gone has no stream left to cancel: the
    /// stream's own error ("connection to broker lost") is the one to report, so the send's is dropped.
    /// </summary>
    public static void Send(FluxHandle h, string topic, uint matchtag)
    {
        var cancel = Message.Request(topic, new JsonObject { ["matchtag"] = matchtag });
        cancel.Flags |= MessageFlags.NoResponse;
        try
        {
            h.Send(cancel);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or FluxException)
        {
            // The connection is gone: there is no stream left to cancel.
        }
    }
}
