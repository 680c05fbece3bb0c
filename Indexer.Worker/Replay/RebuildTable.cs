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

    // Every index of the live table, largest first, each with the kind of constraint it backs (primary key 'p',
    // unique 'u', exclusion 'x') if any, and that constraint's definition.
    private const string IndexesOfLive = """
        SELECT pg_get_indexdef(i.indexrelid), c.contype::text, pg_get_constraintdef(c.oid)
        FROM pg_index i
        LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
        WHERE i.indrelid = 'workflow_state'::regclass
        ORDER BY pg_relation_size(i.indexrelid) DESC
        """;

    public static Task CreateAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, Create, cancellationToken);

    /// <summary>
    /// Builds on the filled table every index workflow_state has, two at a time, one on each connection
    /// (CREATE INDEX takes a lock that does not exclude another CREATE INDEX), largest first, as each is one
    /// CPU-bound pass over the table. A primary key or unique constraint is built as a plain unique index
    /// among them and then made the constraint (USING INDEX, no second pass): ADD PRIMARY KEY itself locks
    /// the table, so it used to build alone while the other core waited (14 of the 57 ms of the sparse
    /// benchmark's indexes). An exclusion constraint, which cannot be added that way, is added afterwards.
    /// </summary>
    public static async Task AddIndexesAsync(NpgsqlConnection connection, NpgsqlConnection another, CancellationToken cancellationToken)
    {
        var indexes = new ConcurrentQueue<string>();
        var constraints = new List<string>();
        await using (var command = new NpgsqlCommand(IndexesOfLive, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var constraintKind = reader.IsDBNull(1) ? null : reader.GetString(1);
                if (constraintKind == "x")
                {
                    constraints.Add($"ALTER TABLE {Name} ADD {reader.GetString(2)}");
                    continue;
                }

                // The catalog's own DDL for our own table; a plain index is named by PostgreSQL, and the swap renames them all.
                var definition = reader.GetString(0);
                if (constraintKind is null)
                {
                    indexes.Enqueue(IndexOnLive().Replace(definition, $"CREATE $1INDEX ON {Name} "));
                    continue;
                }

                var indexName = $"{Name}_constraint_{constraints.Count}";
                indexes.Enqueue(IndexOnLive().Replace(definition, $"CREATE $1INDEX {indexName} ON {Name} "));
                var constraint = constraintKind == "p" ? "PRIMARY KEY" : "UNIQUE";
                constraints.Add($"ALTER TABLE {Name} ADD CONSTRAINT {indexName} {constraint} USING INDEX {indexName}");
            }
        }

        await Task.WhenAll(BuildAsync(connection), BuildAsync(another));
        foreach (var statement in constraints)
        {
            await ExecuteAsync(connection, statement, cancellationToken);
        }

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
