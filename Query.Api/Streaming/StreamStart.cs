namespace Query.Api.Streaming;

/// <summary>Where a stream begins: live from now (after a reset, when its Last-Event-ID cannot be resumed), or from the log.</summary>
public abstract record StreamStart
{
    /// <param name="ResetReason">Why the client's Last-Event-ID was not resumed; null when it sent none.</param>
    public sealed record Live(string? ResetReason) : StreamStart;

    /// <param name="LastReorgId">The last reorg repaired when the cursor was found in the log.</param>
    public sealed record Resume(StreamCursor Cursor, long LastReorgId) : StreamStart;
}

/// <summary>Decides from a client's Last-Event-ID whether its stream can resume from the event log.</summary>
public sealed class StreamStarts(ChangeLog log, CatchUpGate gate, StreamSettings settings)
{
    /// <summary>Not an id this API wrote.</summary>
    public const string Malformed = "malformed";

    /// <summary>Further behind the checkpoint than STREAM_RESUME_WINDOW_BLOCKS.</summary>
    public const string Expired = "expired";

    /// <summary>No longer in the log: its block was replaced by a reorg (or the log never held it).</summary>
    public const string Reorged = "reorged";

    public async Task<StreamStart> ResolveAsync(string? lastEventId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(lastEventId))
        {
            return new StreamStart.Live(null);
        }

        if (!StreamCursor.TryParse(lastEventId, out var cursor))
        {
            return new StreamStart.Live(Malformed);
        }

        var check = await gate.RunAsync(token => log.CheckAsync(cursor, token), cancellationToken);
        if (check.Head is not { } head)
        {
            // Nothing ingested yet: only a cursor from before the first block can be current.
            return cursor is { IsEndOfBlock: true, BlockHash: null } ? new StreamStart.Resume(cursor, 0) : new StreamStart.Live(Reorged);
        }

        if (cursor.Block < head.LastBlock - settings.ResumeWindowBlocks)
        {
            return new StreamStart.Live(Expired);
        }

        var stillInLog = cursor switch
        {
            { IsEndOfBlock: true, BlockHash: null } => cursor.Block < head.StartBlock,
            { IsEndOfBlock: true } => cursor.Block <= head.LastBlock && cursor.IsInBlock(check.IngestedBlockHash),
            _ => cursor.IsInBlock(check.EventBlockHash),
        };
        return stillInLog ? new StreamStart.Resume(cursor, head.LastReorgId) : new StreamStart.Live(Reorged);
    }
}
