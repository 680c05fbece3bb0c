using System.Diagnostics;
using Core.Domain.Projection;
using Core.Domain.Proofs;
using Indexer.Worker.EventLog;
using Indexer.Worker.Projection;
using Indexer.Worker.Proofs;
using Npgsql;

namespace Indexer.Worker.Verification;

/// <summary>
/// Rebuilds the projection in memory from the log and compares it, row by row and hash by hash, with
/// the stored one, all in one consistent snapshot. The log (grouped by workflow) and the stored rows
/// stream side by side on two connections sharing that snapshot and are merge-joined by workflow id,
/// so memory holds one workflow at a time. Reads only.
/// </summary>
public sealed class ProjectionVerifier(NpgsqlDataSource database)
{
    public async Task<VerificationResult> VerifyAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var snapshot = await ConsistentSnapshot.OpenAsync(database, cancellationToken);
        await using var storedSide = await snapshot.ShareAsync(database, cancellationToken);
        var latestProof = await ProofStore.LatestAsync(snapshot.Connection, cancellationToken);

        using var comparison = new ProjectionComparison();
        var log = LogStream.ReadAsync(snapshot.Connection, LogStream.ByWorkflowOrdinal, cancellationToken);
        var rebuilt = ProjectionFold.FoldGroupedAsync(log, cancellationToken).Select(ProjectionRow.Of);
        await MergeAsync(ProjectionRowReader.ReadAsync(storedSide.Connection, cancellationToken), rebuilt, comparison, cancellationToken);

        var eventLog = await ProofCalculator.HashLogAsync(snapshot.Connection, cancellationToken);
        return new VerificationResult(
            snapshot.CoveredBlock,
            snapshot.CoveredBlockHash,
            eventLog.Count,
            comparison.RebuiltRows,
            comparison.Counts,
            comparison.StoredHash,
            comparison.RebuiltHash,
            eventLog.Hash,
            latestProof,
            comparison.FirstDifferences,
            clock.Elapsed);
    }

    /// <summary>A merge join of two streams ordered by ordinal workflow id (the hashes reject any other order).</summary>
    private static async Task MergeAsync(
        IAsyncEnumerable<ProjectionRow> storedRows,
        IAsyncEnumerable<ProjectionRow> rebuiltRows,
        ProjectionComparison comparison,
        CancellationToken cancellationToken)
    {
        await using var stored = storedRows.GetAsyncEnumerator(cancellationToken);
        var hasStored = await stored.MoveNextAsync();
        await foreach (var rebuilt in rebuiltRows.WithCancellation(cancellationToken))
        {
            while (hasStored && string.CompareOrdinal(stored.Current.WorkflowId, rebuilt.WorkflowId) < 0)
            {
                comparison.StoredOnly(stored.Current);
                hasStored = await stored.MoveNextAsync();
            }

            if (hasStored && stored.Current.WorkflowId == rebuilt.WorkflowId)
            {
                comparison.Both(stored.Current, rebuilt);
                hasStored = await stored.MoveNextAsync();
            }
            else
            {
                comparison.RebuiltOnly(rebuilt);
            }
        }

        while (hasStored)
        {
            comparison.StoredOnly(stored.Current);
            hasStored = await stored.MoveNextAsync();
        }
    }
}
