using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Npgsql;

namespace Indexer.Worker.Replay;

/// <summary>
/// The table a replay fills: made like workflow_state but without its indexes, so the COPY only appends
/// rows, and given the same indexes afterwards, each built in one pass over the finished table (several
/// times cheaper than maintaining them row by row). Each statement commits on its own: the table is no
/// one else's until the swap, which gives the indexes the live names back.
/// </summary>
internal static partial class RebuildTable
{
    public const string Name = "workflow_state_rebuild";

    private const string Create = """
        DROP TABLE IF EXISTS workflow_state_rebuild;
        CREATE TABLE workflow_state_rebuild (LIKE workflow_state INCLUDING ALL EXCLUDING INDEXES);
        """;

    // Constraints that own an index (the primary key) come back as constraints, the other indexes as they are.
    private const string IndexesOfLive = """
        SELECT 'ALTER TABLE workflow_state_rebuild ADD ' || pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.conrelid = 'workflow_state'::regclass AND c.contype IN ('p', 'u', 'x')
        UNION ALL
        SELECT pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = 'workflow_state'::regclass
          AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """;

    public static Task CreateAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, Create, cancellationToken);

    /// <summary>
    /// Builds on the filled table every index workflow_state has: the primary key first (adding it locks the
    /// table), then the other indexes two at a time, one on each connection (CREATE INDEX takes a lock that
    /// does not exclude another CREATE INDEX), as each is one CPU-bound pass over the table.
    /// </summary>
    public static async Task AddIndexesAsync(NpgsqlConnection connection, NpgsqlConnection another, CancellationToken cancellationToken)
    {
        var statements = new List<string>();
        await using (var command = new NpgsqlCommand(IndexesOfLive, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                // The catalog's own DDL for our own table; the index is named by PostgreSQL, renamed by the swap.
                statements.Add(IndexOnLive().Replace(reader.GetString(0), $"CREATE $1INDEX ON {Name} "));
            }
        }

        var constraints = statements.Where(statement => !statement.StartsWith("CREATE", StringComparison.Ordinal)).ToList();
        foreach (var statement in constraints)
        {
            await ExecuteAsync(connection, statement, cancellationToken);
        }

        var indexes = new ConcurrentQueue<string>(statements.Except(constraints));
        await Task.WhenAll(BuildAsync(connection), BuildAsync(another));

        async Task BuildAsync(NpgsqlConnection on)
        {
            while (indexes.TryDequeue(out var statement))
            {
                await ExecuteAsync(on, statement, cancellationToken);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^CREATE (UNIQUE )?INDEX \\S+ ON \\S+ ")]
    private static partial Regex IndexOnLive();
}
