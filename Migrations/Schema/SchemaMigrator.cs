using DbUp;
using DbUp.Engine;
using Npgsql;

namespace Migrations.Schema;

/// <summary>
/// The embedded SQL scripts and DbUp's journal of which ran. The worker and the API use it
/// only to refuse to start on a database whose schema is behind.
/// </summary>
public sealed class SchemaMigrator(NpgsqlConnectionStringBuilder connection)
{
    public const string JournalTable = "schema_migrations";

    /// <summary>Applies pending scripts in name order, all in one transaction, journaled.</summary>
    public DatabaseUpgradeResult Apply(TextWriter log) => Engine(log).PerformUpgrade();

    public IReadOnlyList<SqlScript> PendingScripts() => Engine(TextWriter.Null).GetScriptsToExecute();

    /// <exception cref="PendingMigrationsException">At least one script has not been applied.</exception>
    public void EnsureUpToDate()
    {
        var pending = PendingScripts();
        if (pending.Count > 0)
        {
            throw new PendingMigrationsException(pending.Select(script => script.Name).ToList());
        }
    }

    private UpgradeEngine Engine(TextWriter log) =>
        DeployChanges.To
            .PostgresqlDatabase(connection.ConnectionString)
            .WithScriptsEmbeddedInAssembly(typeof(SchemaMigrator).Assembly, name => name.EndsWith(".sql", StringComparison.Ordinal))
            .WithTransaction()
            .WithVariablesDisabled()
            .JournalToPostgresqlTable("public", JournalTable)
            .LogTo(new TextWriterUpgradeLog(log))
            .Build();
}

public sealed class PendingMigrationsException(IReadOnlyList<string> scripts) : Exception(
    $"The database schema is behind: {scripts.Count} migration(s) pending ({string.Join(", ", scripts)}). " +
    "Apply them first: dotnet run --project Migrations");
