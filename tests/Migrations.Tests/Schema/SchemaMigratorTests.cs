using ServiceDefaults.Configuration;
using Migrations.Schema;
using Migrations.Tests.Support;
using NUnit.Framework;

namespace Migrations.Tests.Schema;

public sealed class SchemaMigratorTests
{
    [Test]
    public async Task PendingScripts_EmptyDatabase_ListsAllScriptsInNameOrder()
    {
        var url = await Database.CreateEmptyAsync();

        var pending = new SchemaMigrator(DatabaseUrl.Parse(url)).PendingScripts();

        Assert.That(pending.Select(script => FileName(script.Name)), Is.EqualTo(Scripts.InOrder));
    }

    [Test]
    public async Task PendingScripts_EmptyDatabase_CreatesNothing()
    {
        var url = await Database.CreateEmptyAsync();

        new SchemaMigrator(DatabaseUrl.Parse(url)).PendingScripts();

        Assert.That(await Database.PublicTablesAsync(url), Is.Empty);
    }

    [Test]
    public async Task Apply_EmptyDatabase_AppliesEveryScriptThenNothingIsPending()
    {
        var url = await Database.CreateEmptyAsync();
        var migrator = new SchemaMigrator(DatabaseUrl.Parse(url));
        using var log = new StringWriter();

        var result = migrator.Apply(log);

        Assert.Multiple(() =>
        {
            Assert.That(result.Successful, Is.True, result.Error?.ToString());
            Assert.That(result.Scripts.Select(script => FileName(script.Name)), Is.EqualTo(Scripts.InOrder));
            Assert.That(migrator.PendingScripts(), Is.Empty);
            Assert.DoesNotThrow(migrator.EnsureUpToDate);
            Assert.That(log.ToString(), Does.Contain("0001_chain_event.sql"), "the log names what it applies");
        });
    }

    [Test]
    public async Task Apply_UpToDateDatabase_AppliesNothing()
    {
        var url = await Database.CreateEmptyAsync();
        var migrator = new SchemaMigrator(DatabaseUrl.Parse(url));
        Assert.That(migrator.Apply(TextWriter.Null).Successful, Is.True);

        var second = migrator.Apply(TextWriter.Null);

        Assert.Multiple(async () =>
        {
            Assert.That(second.Successful, Is.True, second.Error?.ToString());
            Assert.That(second.Scripts, Is.Empty);
            Assert.That(
                await Database.ScalarAsync<long>(url, $"SELECT count(*) FROM {SchemaMigrator.JournalTable}"),
                Is.EqualTo(Scripts.InOrder.Length),
                "each script is journaled once");
        });
    }

    [Test]
    public async Task EnsureUpToDate_EmptyDatabase_ThrowsNamingEveryPendingScript()
    {
        var url = await Database.CreateEmptyAsync();

        var error = Assert.Throws<PendingMigrationsException>(new SchemaMigrator(DatabaseUrl.Parse(url)).EnsureUpToDate);

        Assert.That(error!.Message, Does.Contain($"{Scripts.InOrder.Length} migration(s) pending"));
        foreach (var script in Scripts.InOrder)
        {
            Assert.That(error.Message, Does.Contain(script));
        }
    }

    [Test]
    public async Task Apply_CreatesTheTablesTheJournalAndTheReaderRole()
    {
        var url = await MigratedAsync();

        var tables = await Database.PublicTablesAsync(url);

        Assert.Multiple(async () =>
        {
            Assert.That(tables, Is.EquivalentTo(Scripts.Tables.Append(SchemaMigrator.JournalTable).Append(SchemaMigrator.ChecksumTable)));
            Assert.That(await Database.ScalarAsync<bool>(url, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'x402_reader' AND NOT rolcanlogin)"), Is.True);
            Assert.That(await Database.ScalarAsync<long>(url, "SELECT count(*) FROM indexer_status WHERE id = 1"), Is.EqualTo(1));
        });
    }

    [TestCase("chain_event_tx_log_unique", "chain_event", "UNIQUE INDEX", "(tx_hash, log_index)")]
    [TestCase("chain_event_canonical_order", "chain_event", "UNIQUE INDEX", "(block_number, transaction_index, log_index)")]
    [TestCase("chain_event_workflow_timeline", "chain_event", "INDEX", "(workflow_id, block_number, transaction_index, log_index)")]
    [TestCase("workflow_state_newest_first", "workflow_state", "INDEX", "(first_event_block DESC, first_event_transaction_index DESC, first_event_log_index DESC) INCLUDE (workflow_id, status, initiator, started_at, completed_at)")]
    [TestCase("workflow_state_status", "workflow_state", "INDEX", "(status)")]
    [TestCase("workflow_state_initiator_newest_first", "workflow_state", "INDEX", "(initiator, first_event_block DESC, first_event_transaction_index DESC, first_event_log_index DESC)")]
    [TestCase("workflow_state_settlements", "workflow_state", "INDEX", "USING gin (settlements jsonb_path_ops)")]
    [TestCase("workflow_state_started_at", "workflow_state", "INDEX", "(started_at) INCLUDE (status)")]
    [TestCase("workflow_state_ended_at", "workflow_state", "INDEX", "(completed_at) INCLUDE (status) WHERE (completed_at IS NOT NULL)")]
    [TestCase("chain_event_payments_by_time", "chain_event", "INDEX", "(block_timestamp) WHERE (event_type = 'PAYMENT_EXECUTED'::text)")]
    public async Task Apply_CreatesTheIndexesTheQueriesNeed(string index, string table, string kind, string columns)
    {
        var url = await MigratedAsync();

        var definition = await Database.ScalarAsync<string?>(
            url, $"SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = '{table}' AND indexname = '{index}'");

        Assert.That(definition, Does.StartWith($"CREATE {kind} {index} ON public.{table}").And.EndWith(columns));
    }

    [Test]
    public async Task Apply_GrantsTheReaderRoleSelectOnly()
    {
        var url = await MigratedAsync();

        var privileges = await Database.ScalarAsync<string>(url, """
            SELECT string_agg(table_name || ':' || privilege_type, ',' ORDER BY table_name, privilege_type)
            FROM information_schema.role_table_grants
            WHERE grantee = 'x402_reader' AND table_schema = 'public'
            """);

        Assert.That(
            privileges,
            Is.EqualTo(string.Join(',', Scripts.Tables.Append(SchemaMigrator.JournalTable).Order(StringComparer.Ordinal).Select(table => $"{table}:SELECT"))));
    }

    [Test]
    public async Task Apply_ScriptFails_RollsBackEveryScriptOfTheRun()
    {
        // No fake script: a table already named like the one 0002 creates makes 0002 fail for real.
        var url = await Database.CreateEmptyAsync();
        await Database.ExecuteAsync(url, "CREATE TABLE workflow_state (squatter int)");
        var migrator = new SchemaMigrator(DatabaseUrl.Parse(url));

        var result = migrator.Apply(TextWriter.Null);

        Assert.Multiple(async () =>
        {
            Assert.That(result.Successful, Is.False);
            Assert.That(result.ErrorScript?.Name, Does.EndWith("0002_workflow_state.sql"));
            Assert.That(await Database.TableExistsAsync(url, "chain_event"), Is.False, "0001 ran in the same transaction, so it is undone");
            Assert.That(
                await Database.PublicTablesAsync(url),
                Is.EqualTo(new[] { SchemaMigrator.ChecksumTable, "workflow_state" }),
                "no journal, no other table: only the checksum table, made before the run, stays (empty)");
        });

        await Database.ExecuteAsync(url, "DROP TABLE workflow_state");
        Assert.That(migrator.PendingScripts().Select(script => FileName(script.Name)), Is.EqualTo(Scripts.InOrder));
    }

    private static async Task<string> MigratedAsync()
    {
        var url = await Database.CreateEmptyAsync();
        var result = new SchemaMigrator(DatabaseUrl.Parse(url)).Apply(TextWriter.Null);
        Assert.That(result.Successful, Is.True, result.Error?.ToString());
        return url;
    }

    // DbUp names embedded scripts by resource name: Migrations.Scripts.0001_chain_event.sql.
    private static string FileName(string scriptName) =>
        scriptName.StartsWith(ResourcePrefix, StringComparison.Ordinal) ? scriptName[ResourcePrefix.Length..] : scriptName;

    private const string ResourcePrefix = "Migrations.Scripts.";
}
