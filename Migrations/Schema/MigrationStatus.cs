using DbUp.Engine;
using Npgsql;

namespace Migrations.Schema;

public enum ScriptStatus
{
    Applied,
    Pending,

    /// <summary>Applied, but the script now differs from the one that ran.</summary>
    Modified,

    /// <summary>Journaled by the database but not embedded in this program (a newer program applied it).</summary>
    Unknown,
}

/// <param name="Sha256">The embedded script's checksum; null for an <see cref="ScriptStatus.Unknown"/> script.</param>
/// <param name="AppliedSha256">The checksum recorded when it ran; null when pending.</param>
public sealed record ScriptState(string Name, ScriptStatus Status, string? Sha256, string? AppliedSha256, DateTime? AppliedAt);

/// <summary>The embedded scripts against the database's journal and checksums.</summary>
public sealed record MigrationStatus(IReadOnlyList<ScriptState> Scripts)
{
    // Both tables appear with the first apply; before it, everything is pending.
    private const string SelectApplied = $"""
        SELECT j.scriptname, j.applied, c.sha256
        FROM {SchemaMigrator.JournalTable} j
        LEFT JOIN {SchemaMigrator.ChecksumTable} c ON c.script_name = j.scriptname
        ORDER BY j.scriptname
        """;

    private const string SelectAppliedWithoutChecksums = $"""
        SELECT scriptname, applied, NULL::text FROM {SchemaMigrator.JournalTable} ORDER BY scriptname
        """;

    private const string SelectTablesPresent = """
        SELECT to_regclass(@journal) IS NOT NULL, to_regclass(@checksums) IS NOT NULL
        """;

    public IReadOnlyList<ScriptState> Modified => Scripts.Where(script => script.Status == ScriptStatus.Modified).ToList();

    public int Count(ScriptStatus status) => Scripts.Count(script => script.Status == status);

    public static MigrationStatus Read(NpgsqlConnection session, IReadOnlyList<SqlScript> embedded)
    {
        var applied = ReadApplied(session);
        var states = embedded.Select(script =>
        {
            var sha256 = ScriptChecksum.Of(script);
            if (!applied.Remove(script.Name, out var ran))
            {
                return new ScriptState(script.Name, ScriptStatus.Pending, sha256, null, null);
            }

            // A script journaled before checksums were kept has none until the next apply adopts it.
            var status = ran.Sha256 is null || ran.Sha256 == sha256 ? ScriptStatus.Applied : ScriptStatus.Modified;
            return new ScriptState(script.Name, status, sha256, ran.Sha256, ran.AppliedAt);
        }).ToList();
        states.AddRange(applied.Select(left => new ScriptState(left.Key, ScriptStatus.Unknown, null, left.Value.Sha256, left.Value.AppliedAt)));
        return new MigrationStatus(states.OrderBy(state => state.Name, StringComparer.Ordinal).ToList());
    }

    public static bool JournalExists(NpgsqlConnection session) => TablesPresent(session).Journal;

    private static (bool Journal, bool Checksums) TablesPresent(NpgsqlConnection session)
    {
        using var command = new NpgsqlCommand(SelectTablesPresent, session);
        command.Parameters.AddWithValue("journal", SchemaMigrator.JournalTable);
        command.Parameters.AddWithValue("checksums", SchemaMigrator.ChecksumTable);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetBoolean(0), reader.GetBoolean(1));
    }

    private static Dictionary<string, (DateTime AppliedAt, string? Sha256)> ReadApplied(NpgsqlConnection session)
    {
        var (journal, checksums) = TablesPresent(session);
        var applied = new Dictionary<string, (DateTime, string?)>(StringComparer.Ordinal);
        if (!journal)
        {
            return applied;
        }

        using var select = new NpgsqlCommand(checksums ? SelectApplied : SelectAppliedWithoutChecksums, session);
        using var rows = select.ExecuteReader();
        while (rows.Read())
        {
            applied[rows.GetString(0)] = (rows.GetDateTime(1), rows.IsDBNull(2) ? null : rows.GetString(2));
        }

        return applied;
    }
}
