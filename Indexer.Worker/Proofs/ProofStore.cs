using Dapper;
using Indexer.Worker.SingleWriter;
using Npgsql;

namespace Indexer.Worker.Proofs;

/// <summary>The single determinism_proof row: the latest proof replaces the previous one, written only by the writer.</summary>
public sealed class ProofStore(NpgsqlDataSource database)
{
    // Stored only while the given session holds the writer lock: a writer that has just lost it
    // (its lock session died) stores nothing more. A bigint advisory key shows in pg_locks as
    // classid (high 32 bits), objid (low 32 bits) and objsubid 1.
    private const string SaveWhileWriter = """
        INSERT INTO determinism_proof
            (id, covered_block, covered_block_hash, event_count, event_log_hash, workflow_count, projection_hash,
             computed_at, computation_ms)
        SELECT 1, @CoveredBlock, @CoveredBlockHash, @EventCount, @EventLogHash, @WorkflowCount, @ProjectionHash,
               now(), @ComputationMs
        WHERE EXISTS (
            SELECT 1 FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND pid = @LockSessionPid
              AND classid::bigint = @LockKey >> 32 AND objid::bigint = @LockKey & 4294967295 AND objsubid = 1)
        ON CONFLICT (id) DO UPDATE SET
            covered_block = EXCLUDED.covered_block, covered_block_hash = EXCLUDED.covered_block_hash,
            event_count = EXCLUDED.event_count,
            event_log_hash = EXCLUDED.event_log_hash, workflow_count = EXCLUDED.workflow_count,
            projection_hash = EXCLUDED.projection_hash, computed_at = EXCLUDED.computed_at,
            computation_ms = EXCLUDED.computation_ms
        """;

    private const string SelectLatest = """
        SELECT covered_block AS CoveredBlock, covered_block_hash AS CoveredBlockHash, event_count AS EventCount,
               event_log_hash AS EventLogHash
        FROM determinism_proof
        WHERE id = 1
        """;

    /// <param name="lockSessionPid">The backend pid of this worker's writer-lock session.</param>
    /// <returns>False when that session no longer holds the writer lock: nothing was stored.</returns>
    public async Task<bool> SaveAsync(DeterminismProof proof, int lockSessionPid, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var stored = await connection.ExecuteAsync(
            SaveWhileWriter,
            new
            {
                proof.CoveredBlock,
                proof.CoveredBlockHash,
                proof.EventCount,
                proof.EventLogHash,
                proof.WorkflowCount,
                proof.ProjectionHash,
                ComputationMs = (long)proof.Elapsed.TotalMilliseconds,
                LockSessionPid = lockSessionPid,
                LockKey = WriterLock.Key,
                cancellationToken,
            });
        return stored == 1;
    }

    /// <summary>The stored proof as <paramref name="connection"/>'s transaction sees it, or null before the first one.</summary>
    internal static async Task<StoredProof?> LatestAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<StoredProof>(SelectLatest, new { cancellationToken });
}

/// <summary>What verify needs of the stored determinism_proof row: which log it covers, and that log's hash.</summary>
public sealed record StoredProof(long? CoveredBlock, string? CoveredBlockHash, long EventCount, string EventLogHash);
