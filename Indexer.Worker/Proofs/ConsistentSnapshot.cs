using System.Data;
using System.Text.RegularExpressions;
using Npgsql;

namespace Indexer.Worker.Proofs;

/// <summary>
/// One REPEATABLE READ, read-only view of the database: the log, the projection and the checkpoint as
/// one committed moment, however the writer moves on meanwhile. A second connection can share the
/// same view (<see cref="ShareAsync"/>) when two streams must be read side by side.
/// </summary>
internal sealed partial class ConsistentSnapshot : IAsyncDisposable
{
    private const string ReadOnly = "SET TRANSACTION READ ONLY";

    // Replay swaps workflow_state for a new table. Locked before the first query (which fixes the
    // snapshot), a swap either committed before the snapshot or waits until this view is done;
    // a snapshot older than the new table would see it empty.
    private const string HoldProjection = "LOCK TABLE workflow_state IN ACCESS SHARE MODE";

    private const string SelectCoveredBlock = "SELECT last_block, last_block_hash FROM sync_checkpoint WHERE id = 1";

    private const string ExportSnapshot = "SELECT pg_export_snapshot()";

    private readonly NpgsqlTransaction transaction;

    private ConsistentSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction, long? coveredBlock, string? coveredBlockHash)
    {
        Connection = connection;
        this.transaction = transaction;
        CoveredBlock = coveredBlock;
        CoveredBlockHash = coveredBlockHash;
    }

    public NpgsqlConnection Connection { get; }

    /// <summary>The checkpoint's last block in this snapshot: how far the log it shows reaches. Null before the first start.</summary>
    public long? CoveredBlock { get; }

    /// <summary>The covered block's hash; null before the first range is ingested.</summary>
    public string? CoveredBlockHash { get; }

    public static async Task<ConsistentSnapshot> OpenAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await BeginAsync(connection, cancellationToken);
            await ExecuteAsync(connection, HoldProjection, cancellationToken);
            var (coveredBlock, coveredBlockHash) = await CoveredBlockAsync(connection, cancellationToken);
            return new ConsistentSnapshot(connection, transaction, coveredBlock, coveredBlockHash);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens another connection whose transaction sees exactly this snapshot.</summary>
    public async Task<ConsistentSnapshot> ShareAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var export = new NpgsqlCommand(ExportSnapshot, Connection);
        var snapshotId = (string)(await export.ExecuteScalarAsync(cancellationToken))!;
        // SET TRANSACTION SNAPSHOT takes no parameters; the id comes from the server, checked anyway.
        if (!SnapshotIdPattern().IsMatch(snapshotId))
        {
            throw new InvalidDataException($"Unexpected snapshot id '{snapshotId}' from pg_export_snapshot().");
        }

        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await BeginAsync(connection, cancellationToken);
            await ExecuteAsync(connection, $"SET TRANSACTION SNAPSHOT '{snapshotId}'", cancellationToken);
            return new ConsistentSnapshot(connection, transaction, CoveredBlock, CoveredBlockHash);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ends the read-only transaction (nothing to commit) and returns the connection to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }

    private static async Task<NpgsqlTransaction> BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await ExecuteAsync(connection, ReadOnly, cancellationToken);
        return transaction;
    }

    private static async Task<(long?, string?)> CoveredBlockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(SelectCoveredBlock, connection);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : (null, null);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^[0-9A-F]+(-[0-9A-F]+)+\\z")]
    private static partial Regex SnapshotIdPattern();
}
