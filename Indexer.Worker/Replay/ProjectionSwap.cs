using System.Text.RegularExpressions;
using Indexer.Worker.Notifications;
using Migrations.Notifications;
using Npgsql;

namespace Indexer.Worker.Replay;

/// <summary>
/// Replaces workflow_state by a freshly built table in one transaction. The new table's indexes get
/// the old ones' names back (matched by definition), so the schema looks exactly as the migrations made it.
/// The projection of an empty log is emptied in place instead. Listeners are notified when either commits.
/// </summary>
internal static partial class ProjectionSwap
{
    private const string LockLive = "LOCK TABLE workflow_state IN ACCESS EXCLUSIVE MODE";

    private const string IndexesOfLive = """
        SELECT indexname, indexdef FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename = 'workflow_state'
        """;

    private const string DropLive = "DROP TABLE workflow_state";

    private const string DeleteLive = "DELETE FROM workflow_state";

    private const string GrantReaders = "GRANT SELECT ON workflow_state TO x402_reader";

    /// <param name="rebuilt">The worker's own staging table name, never input.</param>
    public static async Task SwapInAsync(NpgsqlConnection connection, string rebuilt, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, LockLive, cancellationToken);
        var oldNames = (await IndexesAsync(connection, cancellationToken))
            .ToDictionary(index => WithoutName(index.Definition), index => index.Name);

        await Execute(connection, DropLive, cancellationToken);
        await Execute(connection, $"ALTER TABLE {rebuilt} RENAME TO workflow_state", cancellationToken);
        foreach (var (name, definition) in await IndexesAsync(connection, cancellationToken))
        {
            if (oldNames.TryGetValue(WithoutName(definition), out var oldName) && oldName != name)
            {
                await Execute(connection, $"ALTER INDEX \"{name}\" RENAME TO \"{oldName}\"", cancellationToken);
            }
        }

        await Execute(connection, GrantReaders, cancellationToken);
        await ChangeNotifier.NotifyAsync(connection, ChangeNotice.Replay(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Empties workflow_state in one transaction (and drops a staging table an interrupted replay left).</summary>
    /// <param name="rebuilt">The worker's own staging table name, never input.</param>
    public static async Task EmptyLiveAsync(NpgsqlConnection connection, string rebuilt, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, LockLive, cancellationToken);
        await Execute(connection, DeleteLive, cancellationToken);
        await Execute(connection, $"DROP TABLE IF EXISTS {rebuilt}", cancellationToken);
        await ChangeNotifier.NotifyAsync(connection, ChangeNotice.Replay(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<List<(string Name, string Definition)>> IndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var indexes = new List<(string, string)>();
        await using var command = new NpgsqlCommand(IndexesOfLive, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        }

        return indexes;
    }

    private static string WithoutName(string definition) => IndexName().Replace(definition, "INDEX ON ");

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("INDEX \\S+ ON ")]
    private static partial Regex IndexName();
}
