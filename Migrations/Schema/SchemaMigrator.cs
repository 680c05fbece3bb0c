using DbUp;
using DbUp.Engine;
using DbUp.ScriptProviders;
using Npgsql;
using ServiceDefaults.Startup;

namespace Migrations.Schema;

/// <summary>
/// The embedded SQL scripts, DbUp's journal of which ran and the checksum of each as it ran. The worker
/// and the API use it only to refuse to start on a database whose schema is behind.
/// </summary>
public sealed class SchemaMigrator(NpgsqlConnectionStringBuilder connection)
{
    public const string JournalTable = "schema_migrations";

    /// <summary>The SHA-256 of each journaled script as it ran (<see cref="ChecksummedJournal"/>).</summary>
    public const string ChecksumTable = "schema_migration_checksums";

    /// <summary>Every apply, and every script printed by <see cref="PendingScript"/>, holds this advisory lock, so two runs cannot interleave.</summary>
    public const long AdvisoryLockKey = 0x7834_3032_6D69_6772; // "x402migr"

    private static readonly EmbeddedScriptProvider EmbeddedScripts =
        new(typeof(SchemaMigrator).Assembly, name => name.EndsWith(".sql", StringComparison.Ordinal));

    private const string SelectJournaled = $"SELECT scriptname FROM {JournalTable}";

    private const string Lock = "SELECT pg_advisory_lock(@key)";
    private const string Unlock = "SELECT pg_advisory_unlock(@key)";

    // Scripts journaled before checksums were kept are adopted once, with the checksum of the script as it is now.
    private const string AdoptJournaledScripts = $"""
        INSERT INTO {ChecksumTable} (script_name, sha256)
        SELECT scriptname, checksum
        FROM {JournalTable}
        JOIN unnest(@names, @checksums) AS embedded(name, checksum) ON embedded.name = scriptname
        ON CONFLICT (script_name) DO NOTHING
        """;

    /// <summary>
    /// Applies pending scripts in name order, all in one transaction, journaled with their checksums, while
    /// holding <see cref="AdvisoryLockKey"/> (a concurrent run waits, then finds nothing pending).
    /// </summary>
    /// <exception cref="ModifiedMigrationsException">An applied script differs from the one that ran; nothing is applied.</exception>
    public DatabaseUpgradeResult Apply(TextWriter log)
    {
        using var session = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connection.ConnectionString) { Pooling = false }.ConnectionString);
        session.Open();
        ExecuteWithLockKey(session, Lock);
        try
        {
            KeepChecksums(session);
            var modified = MigrationStatus.Read(session, DiscoveredScripts()).Modified;
            if (modified.Count > 0)
            {
                throw new ModifiedMigrationsException(modified);
            }

            return Engine(log).PerformUpgrade();
        }
        finally
        {
            ExecuteWithLockKey(session, Unlock);
        }
    }

    public IReadOnlyList<SqlScript> PendingScripts() => Engine(TextWriter.Null).GetScriptsToExecute();

    /// <summary>Every embedded and every journaled script: applied, pending or modified, with checksums.</summary>
    public MigrationStatus Status()
    {
        using var session = new NpgsqlConnection(connection.ConnectionString);
        session.Open();
        return MigrationStatus.Read(session, DiscoveredScripts());
    }

    /// <summary>The pending scripts as one psql script in one transaction, journaled as <see cref="Apply"/> journals them.</summary>
    public string PendingScript() => PendingSql.Write(connection, PendingScripts());

    /// <exception cref="PendingMigrationsException">At least one script has not been applied.</exception>
    public void EnsureUpToDate()
    {
        using var session = new NpgsqlConnection(connection.ConnectionString);
        session.Open();
        EnsureUpToDate(session);
    }

    /// <exception cref="PendingMigrationsException">At least one script has not been applied.</exception>
    public static void EnsureUpToDate(NpgsqlConnection session)
    {
        var pending = PendingScriptNames(session);
        if (pending.Count > 0)
        {
            throw new PendingMigrationsException(pending);
        }
    }

    /// <summary>
    /// The embedded scripts the journal lacks, read on a connection the caller already holds, where DbUp's engine
    /// would open one of its own (with Npgsql's type loading) and take a transaction. It reads the journal alone:
    /// the API's read-only role may read <see cref="JournalTable"/>, not the checksums.
    /// </summary>
    public static IReadOnlyList<string> PendingScriptNames(NpgsqlConnection session)
    {
        var journaled = new HashSet<string>(StringComparer.Ordinal);
        if (MigrationStatus.JournalExists(session))
        {
            using var select = new NpgsqlCommand(SelectJournaled, session);
            using var rows = select.ExecuteReader();
            while (rows.Read())
            {
                journaled.Add(rows.GetString(0));
            }
        }

        return DiscoveredScripts().Select(script => script.Name).Where(name => !journaled.Contains(name)).ToList();
    }

    // The embedded scripts in the order DbUp runs them (by name); an embedded provider needs no connection.
    private static IReadOnlyList<SqlScript> DiscoveredScripts() =>
        EmbeddedScripts.GetScripts(connectionManager: null!).OrderBy(script => script.Name, StringComparer.Ordinal).ToList();

    private static void KeepChecksums(NpgsqlConnection session)
    {
        using (var create = new NpgsqlCommand(ChecksummedJournal.CreateChecksumTable, session))
        {
            create.ExecuteNonQuery();
        }

        if (!MigrationStatus.JournalExists(session))
        {
            return;
        }

        using var adopt = new NpgsqlCommand(AdoptJournaledScripts, session);
        adopt.Parameters.AddWithValue("names", DiscoveredScripts().Select(script => script.Name).ToArray());
        adopt.Parameters.AddWithValue("checksums", DiscoveredScripts().Select(ScriptChecksum.Of).ToArray());
        adopt.ExecuteNonQuery();
    }

    private static void ExecuteWithLockKey(NpgsqlConnection session, string sql)
    {
        using var command = new NpgsqlCommand(sql, session);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        command.ExecuteNonQuery();
    }

    private UpgradeEngine Engine(TextWriter log) =>
        DeployChanges.To
            .PostgresqlDatabase(connection.ConnectionString)
            .WithScripts(EmbeddedScripts)
            .WithTransaction()
            .WithVariablesDisabled()
            .JournalTo((connections, logs) => new ChecksummedJournal(connections, logs))
            .LogTo(new TextWriterUpgradeLog(log))
            .Build();
}

public sealed class PendingMigrationsException(IReadOnlyList<string> scripts) : StartupRefusedException(
    $"The database schema is behind: {scripts.Count} migration(s) pending ({string.Join(", ", scripts)}). " +
    "Apply them first: dotnet run --project Migrations");

public sealed class ModifiedMigrationsException(IReadOnlyList<ScriptState> scripts) : Exception(
    $"{scripts.Count} applied migration(s) differ from the script that ran: " +
    string.Join(", ", scripts.Select(script => $"{script.Name} (ran sha256 {script.AppliedSha256}, now {script.Sha256})")) +
    ". Applied scripts must never change: restore them, and put the change in a new script.");
