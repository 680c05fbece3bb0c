using System.Data;
using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;
using DbUp.Postgresql;

namespace Migrations.Schema;

/// <summary>
/// DbUp's journal (<see cref="SchemaMigrator.JournalTable"/>) plus the SHA-256 of each script as it ran,
/// written in the same transaction as the script, so that a script edited after it was applied is detected.
/// </summary>
internal sealed class ChecksummedJournal(Func<IConnectionManager> connectionManager, Func<IUpgradeLog> log)
    : PostgresqlTableJournal(connectionManager, log, "public", SchemaMigrator.JournalTable)
{
    /// <summary>Created by <see cref="SchemaMigrator.Apply"/> before DbUp runs, and by the DBA's script.</summary>
    public const string CreateChecksumTable = $"""
        CREATE TABLE IF NOT EXISTS {SchemaMigrator.ChecksumTable} (
            script_name text PRIMARY KEY,
            sha256      text NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    private const string InsertChecksum = $"""
        INSERT INTO {SchemaMigrator.ChecksumTable} (script_name, sha256) VALUES (@name, @sha256)
        ON CONFLICT (script_name) DO UPDATE SET sha256 = excluded.sha256, recorded_at = now()
        """;

    public override void StoreExecutedScript(SqlScript script, Func<IDbCommand> dbCommandFactory)
    {
        base.StoreExecutedScript(script, dbCommandFactory);
        Execute(dbCommandFactory, InsertChecksum, ("name", script.Name), ("sha256", ScriptChecksum.Of(script)));
    }

    private static void Execute(Func<IDbCommand> dbCommandFactory, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = dbCommandFactory();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        command.ExecuteNonQuery();
    }
}
