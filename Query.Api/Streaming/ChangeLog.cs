using Core.Domain.Events;
using Npgsql;

namespace Query.Api.Streaming;

/// <summary>
/// Reads what the streams send from the event log, in short queries on pooled connections (none is held
/// between them): the workflows changed after a cursor, the reorgs repaired since one, and whether a
/// cursor a client resumes from is still in the log.
/// <para>
/// A workflow event stands for one workflow in one block: the workflow's state as it is now, at the
/// position of its last event in that block. Live commits and catch-up from the log are cut by blocks, so
/// both send the same events for the same blocks, and a client that resumes gets exactly those it missed.
/// </para>
/// </summary>
public sealed class ChangeLog(NpgsqlDataSource database)
{
    private const string SelectHead = """
        SELECT c.start_block, c.last_block, c.last_block_hash, (SELECT coalesce(max(id), 0) FROM reorg)
        FROM sync_checkpoint c
        WHERE c.id = 1
        """;

    // One statement, one snapshot: the events are those the checkpoint read with them covers, and the
    // reorg count tells whether a repair happened since the last page. $1..$3 the cursor, $4 the page size.
    private const string SelectPage = """
        SELECT c.start_block, c.last_block, c.last_block_hash, (SELECT coalesce(max(id), 0) FROM reorg),
               p.workflow_id, p.status, p.phase, p.block_number, p.transaction_index, p.log_index, p.block_hash
        FROM sync_checkpoint c
        LEFT JOIN LATERAL (
            SELECT e.workflow_id, w.status, w.phase, e.block_number, e.transaction_index, e.log_index, e.block_hash
            FROM chain_event e
            JOIN workflow_state w ON w.workflow_id = e.workflow_id
            WHERE (e.block_number, e.transaction_index, e.log_index) > ($1, $2, $3) AND e.block_number <= c.last_block
            ORDER BY e.block_number, e.transaction_index, e.log_index
            LIMIT $4
        ) p ON true
        WHERE c.id = 1
        ORDER BY p.block_number, p.transaction_index, p.log_index
        """;

    // The same for one workflow ($5), through its timeline index.
    private const string SelectWorkflowPage = """
        SELECT c.start_block, c.last_block, c.last_block_hash, (SELECT coalesce(max(id), 0) FROM reorg),
               p.workflow_id, p.status, p.phase, p.block_number, p.transaction_index, p.log_index, p.block_hash
        FROM sync_checkpoint c
        LEFT JOIN LATERAL (
            SELECT e.workflow_id, w.status, w.phase, e.block_number, e.transaction_index, e.log_index, e.block_hash
            FROM chain_event e
            JOIN workflow_state w ON w.workflow_id = e.workflow_id
            WHERE e.workflow_id = $5
              AND (e.block_number, e.transaction_index, e.log_index) > ($1, $2, $3) AND e.block_number <= c.last_block
            ORDER BY e.block_number, e.transaction_index, e.log_index
            LIMIT $4
        ) p ON true
        WHERE c.id = 1
        ORDER BY p.block_number, p.transaction_index, p.log_index
        """;

    // A full page may end inside a block: the rest of that block ($4) after the page's last event.
    private const string SelectRestOfBlock = """
        SELECT e.workflow_id, w.status, w.phase, e.block_number, e.transaction_index, e.log_index, e.block_hash
        FROM chain_event e
        JOIN workflow_state w ON w.workflow_id = e.workflow_id
        WHERE e.block_number = $4 AND (e.block_number, e.transaction_index, e.log_index) > ($1, $2, $3)
        ORDER BY e.block_number, e.transaction_index, e.log_index
        """;

    private const string SelectWorkflowRestOfBlock = """
        SELECT e.workflow_id, w.status, w.phase, e.block_number, e.transaction_index, e.log_index, e.block_hash
        FROM chain_event e
        JOIN workflow_state w ON w.workflow_id = e.workflow_id
        WHERE e.workflow_id = $5 AND e.block_number = $4 AND (e.block_number, e.transaction_index, e.log_index) > ($1, $2, $3)
        ORDER BY e.block_number, e.transaction_index, e.log_index
        """;

    // The ancestor's hash is kept in ingested_block (the repair deletes only the blocks above it).
    private const string SelectReorgsAfter = """
        SELECT r.id, r.depth, r.common_ancestor, b.block_hash
        FROM reorg r
        LEFT JOIN ingested_block b ON b.block_number = r.common_ancestor
        WHERE r.id > $1
        ORDER BY r.id
        """;

    // The workflows a repair derived again that still have events (those that lost all of theirs are gone),
    // unless events above the ancestor reached them since: those come with the log after the ancestor.
    private const string SelectRederived = """
        SELECT w.workflow_id, w.status, w.phase, w.last_event_block, w.last_event_transaction_index, w.last_event_log_index
        FROM workflow_state w
        WHERE w.workflow_id IN (SELECT o.workflow_id FROM orphaned_event o WHERE o.reorg_id = $1)
          AND w.last_event_block <= $2
        ORDER BY w.last_event_block, w.last_event_transaction_index, w.last_event_log_index
        """;

    private const string SelectResumeCheck = """
        SELECT c.start_block, c.last_block, c.last_block_hash, (SELECT coalesce(max(id), 0) FROM reorg),
               (SELECT e.block_hash FROM chain_event e
                WHERE e.block_number = $1 AND e.transaction_index = $2 AND e.log_index = $3),
               (SELECT b.block_hash FROM ingested_block b WHERE b.block_number = $1)
        FROM sync_checkpoint c
        WHERE c.id = 1
        """;

    /// <returns>Null before the worker created its checkpoint.</returns>
    public async Task<LogHead?> HeadAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(SelectHead);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadHead(reader) : null;
    }

    /// <summary>
    /// The workflow events after <paramref name="after"/>, up to the checkpoint, in whole blocks of about
    /// <paramref name="limit"/> events (a block is never cut, however many events it holds).
    /// </summary>
    /// <param name="workflowId">Only this workflow's events; null for all.</param>
    /// <returns>Null before the worker created its checkpoint.</returns>
    public async Task<LogPage?> PageAsync(StreamCursor after, string? workflowId, int limit, CancellationToken cancellationToken)
    {
        LogHead? head = null;
        var rows = new List<LogRow>();
        await using (var command = database.CreateCommand(workflowId is null ? SelectPage : SelectWorkflowPage))
        {
            AddCursor(command, after);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            AddWorkflow(command, workflowId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                head ??= ReadHead(reader);
                if (!reader.IsDBNull(4))
                {
                    rows.Add(ReadRow(reader, 4));
                }
            }
        }

        if (head is null)
        {
            return null;
        }

        var reachedHead = rows.Count < limit;
        if (!reachedHead)
        {
            rows.AddRange(await RestOfBlockAsync(rows[^1], workflowId, cancellationToken));
        }

        var end = reachedHead ? head.Cursor : StreamCursor.EndOf(rows[^1].Position.BlockNumber, rows[^1].BlockHash);
        return new LogPage(head, FramesOf(rows), end, reachedHead);
    }

    /// <summary>Every repair recorded after <paramref name="reorgId"/>, oldest first, with the workflows it derived again.</summary>
    public async Task<IReadOnlyList<RepairedReorg>> ReorgsAfterAsync(long reorgId, CancellationToken cancellationToken)
    {
        var reorgs = new List<(long Id, int Depth, StreamCursor Ancestor)>();
        await using (var command = database.CreateCommand(SelectReorgsAfter))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reorgId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                reorgs.Add((reader.GetInt64(0), reader.GetInt32(1), StreamCursor.EndOf(reader.GetInt64(2), NullableString(reader, 3))));
            }
        }

        var repaired = new List<RepairedReorg>(reorgs.Count);
        foreach (var (id, depth, ancestor) in reorgs)
        {
            var frames = new List<StreamFrame> { StreamFrame.Reorg(ancestor, depth) };
            await using var command = database.CreateCommand(SelectRederived);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ancestor.Block });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var position = new EventPosition(reader.GetInt64(3), reader.GetInt32(4), reader.GetInt32(5));
                frames.Add(StreamFrame.Workflow(ancestor, new WorkflowChange(reader.GetString(0), reader.GetString(1), reader.GetString(2), position)));
            }

            repaired.Add(new RepairedReorg(id, ancestor, frames));
        }

        return repaired;
    }

    /// <summary>What the log says about a cursor a client wants to resume from.</summary>
    public async Task<ResumeCheck> CheckAsync(StreamCursor cursor, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(SelectResumeCheck);
        AddCursor(command, cursor);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new ResumeCheck(null, null, null);
        }

        return new ResumeCheck(ReadHead(reader), NullableString(reader, 4), NullableString(reader, 5));
    }

    private async Task<List<LogRow>> RestOfBlockAsync(LogRow last, string? workflowId, CancellationToken cancellationToken)
    {
        var rows = new List<LogRow>();
        await using var command = database.CreateCommand(workflowId is null ? SelectRestOfBlock : SelectWorkflowRestOfBlock);
        AddCursor(command, StreamCursor.After(last.Position, last.BlockHash));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = last.Position.BlockNumber });
        AddWorkflow(command, workflowId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadRow(reader, 0));
        }

        return rows;
    }

    /// <summary>One frame per workflow and block, at the workflow's last event in the block, in log order.</summary>
    private static List<StreamFrame> FramesOf(List<LogRow> rows)
    {
        var lastInBlock = new Dictionary<(long Block, string WorkflowId), LogRow>();
        foreach (var row in rows)
        {
            lastInBlock[(row.Position.BlockNumber, row.Change.WorkflowId)] = row;
        }

        return lastInBlock.Values
            .OrderBy(row => row.Position)
            .Select(row => StreamFrame.Workflow(StreamCursor.After(row.Position, row.BlockHash), row.Change))
            .ToList();
    }

    private static void AddCursor(NpgsqlCommand command, StreamCursor cursor)
    {
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cursor.Position.BlockNumber });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = cursor.Position.TransactionIndex });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = cursor.Position.LogIndex });
    }

    private static void AddWorkflow(NpgsqlCommand command, string? workflowId)
    {
        if (workflowId is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workflowId });
        }
    }

    private static LogHead ReadHead(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetInt64(1), NullableString(reader, 2), reader.GetInt64(3));

    private static LogRow ReadRow(NpgsqlDataReader reader, int first)
    {
        var position = new EventPosition(reader.GetInt64(first + 3), reader.GetInt32(first + 4), reader.GetInt32(first + 5));
        var change = new WorkflowChange(reader.GetString(first), reader.GetString(first + 1), reader.GetString(first + 2), position);
        return new LogRow(change, reader.GetString(first + 6));
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private sealed record LogRow(WorkflowChange Change, string BlockHash)
    {
        public EventPosition Position => Change.Position;
    }
}

/// <summary>The checkpoint: how far the log reaches, and how many reorgs were repaired so far (the last one's id).</summary>
public sealed record LogHead(long StartBlock, long LastBlock, string? LastBlockHash, long LastReorgId)
{
    public StreamCursor Cursor => StreamCursor.EndOf(LastBlock, LastBlockHash);
}

/// <param name="Frames">Workflow events, in log order.</param>
/// <param name="End">How far the page reaches: the end of its last block, or the checkpoint.</param>
/// <param name="ReachedHead">Whether the page reaches the checkpoint it was read with.</param>
public sealed record LogPage(LogHead Head, IReadOnlyList<StreamFrame> Frames, StreamCursor End, bool ReachedHead);

/// <param name="Frames">The reorg event, then the workflows it derived again (ids: the end of the ancestor).</param>
public sealed record RepairedReorg(long Id, StreamCursor Ancestor, IReadOnlyList<StreamFrame> Frames);

/// <param name="Head">Null before the worker created its checkpoint.</param>
/// <param name="EventBlockHash">The block hash of the event at the cursor's position, if the log holds one there.</param>
/// <param name="IngestedBlockHash">The hash of the cursor's block as ingested, if the worker keeps it.</param>
public sealed record ResumeCheck(LogHead? Head, string? EventBlockHash, string? IngestedBlockHash);
