using Core.Domain.Projection;
using Core.Domain.Proofs;
using Core.Domain.Workflows;
using Indexer.Worker.Chain;
using Indexer.Worker.EventLog;
using Indexer.Worker.Notifications;
using Indexer.Worker.Projection;
using Migrations.Notifications;
using Npgsql;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// Stores consecutive ingested block ranges in ONE transaction: their events, the blocks they stand on,
/// the projection rows they change, and the checkpoint. Either all of it is visible afterwards or none of it,
/// and listeners are notified of it when it commits. Ranges are appended one at a time: a range's events go
/// into the log and are folded as it arrives, and only the folded workflow states wait for the commit. A
/// transaction can so span many ranges, writing each workflow's row once for all of them, in the memory of one range.
/// Disposing it before <see cref="CommitAsync(CancellationToken)"/> rolls everything back.
/// </summary>
public sealed class RangeCommitter : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly long chainId;
    private readonly string contractAddress;
    private readonly Dictionary<string, WorkflowState> folded = new(StringComparer.Ordinal);
    private readonly HashSet<string> stored = new(StringComparer.Ordinal);
    private readonly List<ChainBlock> blocks = [];

    private RangeCommitter(NpgsqlConnection connection, NpgsqlTransaction transaction, long chainId, string contractAddress)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.chainId = chainId;
        this.contractAddress = contractAddress;
    }

    /// <summary>The first block of the first range appended.</summary>
    public long FromBlock { get; private set; } = -1;

    /// <summary>The last block of the last range appended.</summary>
    public long ToBlock { get; private set; } = -1;

    public string ToBlockHash { get; private set; } = string.Empty;

    public int Ranges { get; private set; }

    public int Events { get; private set; }

    public int SkippedLogs { get; private set; }

    /// <param name="connection">The writer's connection, which holds the single-writer lock.</param>
    public static async Task<RangeCommitter> BeginAsync(
        NpgsqlConnection connection, long chainId, string contractAddress, CancellationToken cancellationToken) =>
        new(connection, await connection.BeginTransactionAsync(cancellationToken), chainId, contractAddress);

    /// <summary>Stores one range in its own transaction.</summary>
    /// <returns>How many events were stored.</returns>
    public static async Task<int> CommitAsync(
        NpgsqlConnection connection, IngestedRange range, long chainId, string contractAddress, CancellationToken cancellationToken)
    {
        await using var committer = await BeginAsync(connection, chainId, contractAddress, cancellationToken);
        await committer.AppendAsync(range, cancellationToken);
        return (await committer.CommitAsync(cancellationToken)).Events;
    }

    /// <summary>Adds the range that follows the ones appended so far (the caller checks that it does).</summary>
    public async Task AppendAsync(IngestedRange range, CancellationToken cancellationToken)
    {
        var events = range.Events;
        using var rows = range.EncodedEvents ?? ChainEventStore.Encode(events, chainId, contractAddress);
        if (events.Count > 0)
        {
            var workflowIds = events.Select(ingested => ingested.Event.WorkflowId).Distinct(StringComparer.Ordinal).ToList();
            var unseen = workflowIds.Where(workflowId => !folded.ContainsKey(workflowId)).ToList();
            if (unseen.Count > 0)
            {
                foreach (var (workflowId, state) in await WorkflowStateStore.LoadAsync(connection, unseen, cancellationToken))
                {
                    folded[workflowId] = state;
                    stored.Add(workflowId);
                }
            }

            // The fold needs nothing more from the database: it runs on another core while the events stream in.
            var startFrom = workflowIds.Where(folded.ContainsKey).ToDictionary(workflowId => workflowId, workflowId => folded[workflowId], StringComparer.Ordinal);
            var folding = Task.Run(() => ProjectionFold.Fold(events.Select(ingested => ingested.Event), startFrom), cancellationToken);
            await ChainEventStore.AppendAsync(connection, rows, cancellationToken);
            foreach (var (workflowId, state) in await folding)
            {
                folded[workflowId] = state;
            }
        }

        blocks.AddRange(range.Blocks);
        FromBlock = Ranges == 0 ? range.FromBlock : FromBlock;
        (ToBlock, ToBlockHash) = (range.ToBlock, range.ToBlockHash);
        Ranges++;
        Events += events.Count;
        SkippedLogs += range.SkippedLogs;
    }

    /// <summary>Writes the projection rows, the blocks and the checkpoint, and commits.</summary>
    /// <returns>What was stored, as one range.</returns>
    /// <exception cref="InvalidOperationException">No range was appended.</exception>
    public async Task<CommittedUnit> CommitAsync(CancellationToken cancellationToken)
    {
        if (Ranges == 0)
        {
            throw new InvalidOperationException("Nothing to commit: no range was appended.");
        }

        var rows = folded.Values.OrderBy(state => state.WorkflowId, StringComparer.Ordinal).Select(ProjectionRow.Of);
        await WorkflowStateStore.SaveAsync(connection, rows, replacing: stored, cancellationToken);
        await IngestedBlockStore.AddAsync(connection, blocks, cancellationToken);
        await CheckpointStore.AdvanceAsync(connection, FromBlock - 1, ToBlock, ToBlockHash, Events);
        await ChangeNotifier.NotifyAsync(connection, ChangeNotice.Range(FromBlock, ToBlock), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CommittedUnit(FromBlock, ToBlock, ToBlockHash, Ranges, Events, SkippedLogs);
    }

    public ValueTask DisposeAsync() => transaction.DisposeAsync();
}

/// <summary>Consecutive ranges stored in one transaction.</summary>
public sealed record CommittedUnit(long FromBlock, long ToBlock, string ToBlockHash, int Ranges, int Events, int SkippedLogs);

/// <param name="Events">In canonical order.</param>
/// <param name="Blocks">The blocks holding the events, and the range's last block.</param>
public sealed record IngestedRange(
    long FromBlock, long ToBlock, IReadOnlyList<IngestedEvent> Events, int SkippedLogs, IReadOnlyList<ChainBlock> Blocks)
{
    /// <summary>The events already encoded for the event log, when the fetch did it ahead of the commit; appending the range disposes them.</summary>
    public EventRows? EncodedEvents { get; init; }

    /// <summary>The hash of the range's last block, kept with the checkpoint to notice reorgs.</summary>
    public string ToBlockHash => Blocks.Single(block => block.Number == ToBlock).Hash;
}
