namespace Query.Api.Streaming;

/// <summary>
/// Where one stream stands, and which frames it still needs: a frame at or before its cursor was already
/// sent (from the log while catching up, or by the feed), so catch-up and live batches overlap without a
/// frame sent twice or skipped. A reorg goes only to a stream that had gone past the reorg's ancestor,
/// and moves its cursor back there, so the canonical events after the ancestor are sent again.
/// </summary>
/// <param name="workflowId">Only this workflow's workflow events; null for all.</param>
public sealed class StreamProgress(StreamCursor cursor, long lastReorgId, string? workflowId)
{
    public StreamCursor Cursor { get; private set; } = cursor;

    /// <summary>The last reorg this stream has dealt with (ids grow with every repair).</summary>
    public long LastReorgId { get; private set; } = lastReorgId;

    public string? WorkflowId => workflowId;

    /// <returns>The frames to send, in order.</returns>
    public List<StreamFrame> Admit(StreamBatch batch) => batch.Reorg is { } reorg ? Admit(reorg) : AdmitInOrder(batch.Frames);

    public List<StreamFrame> Admit(RepairedReorg reorg)
    {
        if (reorg.Id <= LastReorgId)
        {
            return [];
        }

        LastReorgId = reorg.Id;
        if (Cursor.Position <= reorg.Ancestor.Position)
        {
            return [];
        }

        Cursor = reorg.Ancestor;
        return reorg.Frames.Where(IsWanted).ToList();
    }

    /// <summary>The log was read up to <paramref name="end"/>: nothing between the last frame and it concerns this stream.</summary>
    public void Reached(StreamCursor end)
    {
        if (end.Position > Cursor.Position)
        {
            Cursor = end;
        }
    }

    private List<StreamFrame> AdmitInOrder(IReadOnlyList<StreamFrame> frames)
    {
        var admitted = new List<StreamFrame>(frames.Count);
        foreach (var frame in frames)
        {
            var isNew = frame.Kind switch
            {
                StreamFrameKind.KeepAlive => true,
                // A status repeats what the stream has (or a moved chain head): sent unless the stream is past it.
                StreamFrameKind.Status => frame.Position >= Cursor.Position,
                _ => frame.Position > Cursor.Position,
            };
            if (!isNew)
            {
                continue;
            }

            if (frame.Kind != StreamFrameKind.KeepAlive)
            {
                Cursor = frame.Cursor;
            }

            if (IsWanted(frame))
            {
                admitted.Add(frame);
            }
        }

        return admitted;
    }

    private bool IsWanted(StreamFrame frame) => workflowId is null || frame.WorkflowId is null || frame.WorkflowId == workflowId;
}
