using Dapper;
using Npgsql;

namespace Indexer.Worker.Proofs;

/// <summary>The single determinism_proof row: the latest proof replaces the previous one.</summary>
public sealed class ProofStore(NpgsqlDataSource database)
{
    private const string Save = """
        INSERT INTO determinism_proof
            (id, covered_block, covered_block_hash, event_count, event_log_hash, workflow_count, projection_hash,
             computed_at, computation_ms)
        VALUES (1, @CoveredBlock, @CoveredBlockHash, @EventCount, @EventLogHash, @WorkflowCount, @ProjectionHash,
                now(), @ComputationMs)
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

    public async Task SaveAsync(DeterminismProof proof, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            Save,
            new
            {
                proof.CoveredBlock,
                proof.CoveredBlockHash,
                proof.EventCount,
                proof.EventLogHash,
                proof.WorkflowCount,
                proof.ProjectionHash,
                ComputationMs = (long)proof.Elapsed.TotalMilliseconds,
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>The stored proof as <paramref name="connection"/>'s transaction sees it, or null before the first one.</summary>
    internal static Task<StoredProof?> LatestAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<StoredProof?>(new CommandDefinition(SelectLatest, cancellationToken: cancellationToken));
}

/// <summary>What verify needs of the stored determinism_proof row: which log it covers, and that log's hash.</summary>
public sealed record StoredProof(long? CoveredBlock, string? CoveredBlockHash, long EventCount, string EventLogHash);
