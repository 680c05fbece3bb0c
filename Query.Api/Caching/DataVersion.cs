using Npgsql;

namespace Query.Api.Caching;

/// <summary>
/// Names one state of everything /workflows and /stats return. It moves with every write the worker
/// makes to chain_event or workflow_state:
/// <list type="bullet">
/// <item>a committed range or a reorg repair updates the checkpoint row in the same transaction, and
/// every update of a row is a new row version with a new <c>xmin</c>;</item>
/// <item>a replay swaps in a freshly built workflow_state without touching the checkpoint: the table
/// behind the name is then another file (<c>pg_relation_filenode</c>) in the swap's own transaction, and
/// the worker stamps <c>replay_finished_at</c> right after.</item>
/// </list>
/// Versions are compared for equality only; they have no order.
/// </summary>
public readonly record struct DataVersion(long? CheckpointRowVersion, long? ProjectionFile, DateTime? ReplayFinishedAt);

/// <summary>Reads the current <see cref="DataVersion"/>: one row, one round trip, no table scan.</summary>
public sealed class DataVersionProbe
{
    private const string SelectVersion = """
        SELECT (SELECT xmin::text::bigint FROM sync_checkpoint WHERE id = 1),
               pg_relation_filenode(to_regclass('workflow_state'))::bigint,
               (SELECT replay_finished_at FROM indexer_status WHERE id = 1)
        """;

    private readonly RecentRead<DataVersion> _recent;

    public DataVersionProbe(NpgsqlDataSource database, CacheSettings settings, TimeProvider clock, IHostApplicationLifetime lifetime)
    {
        _recent = new RecentRead<DataVersion>(
            cancellationToken => ReadAsync(database, cancellationToken), settings.MaxStaleness, clock, lifetime.ApplicationStopped);
    }

    /// <summary>The version as of at most <see cref="CacheSettings.MaxStaleness"/> before this call.</summary>
    public Task<DataVersion> CurrentAsync(CancellationToken cancellationToken) => _recent.GetAsync(cancellationToken);

    private static async Task<DataVersion> ReadAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(SelectVersion);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new DataVersion(
            reader.IsDBNull(0) ? null : reader.GetInt64(0),
            reader.IsDBNull(1) ? null : reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetDateTime(2));
    }
}
