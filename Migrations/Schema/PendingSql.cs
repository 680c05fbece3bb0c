using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DbUp.Engine;
using Npgsql;

namespace Migrations.Schema;

/// <summary>
/// The pending scripts as one file for a DBA to review and run with psql: one transaction holding the
/// migrations' advisory lock, refusing to run if any of its scripts was applied since it was written, and
/// journaling each script with its checksum exactly as <see cref="SchemaMigrator.Apply"/> does.
/// </summary>
internal static partial class PendingSql
{
    // The journal table as DbUp creates it, so that either way of applying continues the other's journal.
    private const string CreateJournal = $"""
        CREATE TABLE IF NOT EXISTS {SchemaMigrator.JournalTable} (
            schemaversionsid serial NOT NULL,
            scriptname character varying(255) NOT NULL,
            applied timestamp without time zone NOT NULL,
            CONSTRAINT "PK_{SchemaMigrator.JournalTable}_Id" PRIMARY KEY (schemaversionsid)
        );
        """;

    public static string Write(NpgsqlConnectionStringBuilder connection, IReadOnlyList<SqlScript> pending)
    {
        var sql = new StringBuilder();
        sql.AppendLine(CultureInfo.InvariantCulture, $"-- x402 Workflow Observer: {pending.Count} pending migration(s) for {connection.Host}:{connection.Port}/{connection.Database}");
        if (pending.Count == 0)
        {
            return sql.ToString();
        }

        // Script names are written into the SQL as literals: only names that need no quoting are accepted.
        foreach (var script in pending.Where(script => !SafeName().IsMatch(script.Name)))
        {
            throw new ArgumentException($"Script name '{script.Name}' is not [A-Za-z0-9_.-]+.", nameof(pending));
        }

        var names = string.Join(", ", pending.Select(script => $"'{script.Name}'"));
        sql.AppendLine("-- Review it, then run it as the schema owner:  psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -f THIS_FILE");
        sql.AppendLine("-- One transaction: every script applies, or none does. It waits for any migration run in progress.");
        sql.AppendLine("BEGIN;");
        sql.AppendLine(CultureInfo.InvariantCulture, $"DO $lock$ BEGIN PERFORM pg_advisory_xact_lock({SchemaMigrator.AdvisoryLockKey}); END $lock$;");
        sql.AppendLine(CreateJournal);
        sql.AppendLine(ChecksummedJournal.CreateChecksumTable + ";");
        sql.AppendLine(CultureInfo.InvariantCulture, $"""
            DO $guard$
            BEGIN
                IF EXISTS (SELECT FROM {SchemaMigrator.JournalTable} WHERE scriptname IN ({names})) THEN
                    RAISE EXCEPTION 'this file is out of date: one of its scripts was applied since it was written; write it again';
                END IF;
            END
            $guard$;
            """);
        foreach (var script in pending)
        {
            var sha256 = ScriptChecksum.Of(script);
            sql.AppendLine();
            sql.AppendLine(CultureInfo.InvariantCulture, $"-- {script.Name} (sha256 {sha256})");
            var body = script.Contents.TrimEnd();
            sql.AppendLine(body);
            if (!body.EndsWith(';'))
            {
                // On its own line: the script may end with a comment.
                sql.AppendLine(";");
            }

            sql.AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {SchemaMigrator.JournalTable} (scriptname, applied) VALUES ('{script.Name}', localtimestamp);");
            sql.AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {SchemaMigrator.ChecksumTable} (script_name, sha256) VALUES ('{script.Name}', '{sha256}');");
        }

        sql.AppendLine();
        sql.AppendLine("COMMIT;");
        return sql.ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")]
    private static partial Regex SafeName();
}
