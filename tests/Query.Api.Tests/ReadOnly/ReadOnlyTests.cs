using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;
using Query.Api.Configuration;
using Query.Api.Database;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.ReadOnly;

/// <summary>
/// Two independent locks keep the API from writing: its sessions are read-only whatever the role,
/// and the role it runs as may only SELECT. Every write here runs in a transaction that is rolled
/// back, so a failure of either lock cannot change the shared seed.
/// </summary>
public sealed class ReadOnlyTests
{
    private const string InsertEvent = """
        INSERT INTO chain_event (id, chain_id, contract_address, workflow_id, event_type, payload, block_number,
                                 transaction_index, log_index, tx_hash, tx_sender, block_hash, block_timestamp)
        VALUES (gen_random_uuid(), 31337, '0x5fbdb2315678afecb367f032d93f642f64180aa3',
                '0x00000000000000000000000000000000000000000000000000000000000000ff', 'WORKFLOW_STARTED',
                '{"initiator":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8"}', 999, 0, 0,
                '0x00000000000000000000000000000000000000000000000000000000000000ee',
                '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
                '0x00000000000000000000000000000000000000000000000000000000000000dd', 1700012000)
        """;

    private static readonly string[] Writes =
    [
        InsertEvent,
        "UPDATE chain_event SET tx_sender = tx_sender",
        "DELETE FROM chain_event",
        "TRUNCATE chain_event",
        "UPDATE workflow_state SET status = 'failed'",
        "UPDATE sync_checkpoint SET last_block = last_block + 1",
    ];

    [TestCaseSource(nameof(Writes))]
    public async Task AdminUrl_TheStatementItselfIsValid(string write)
    {
        // The control: with the superuser and a plain session, each write succeeds (and is rolled back).
        var adminUrl = await SeededApi.AdminUrlAsync();

        Assert.DoesNotThrowAsync(() => ExecuteRolledBackAsync(DatabaseUrl.Parse(adminUrl), write));
    }

    [TestCaseSource(nameof(Writes))]
    public async Task ConnectionFor_SuperuserUrl_RefusesTheWriteAsReadOnly(string write)
    {
        var adminUrl = await SeededApi.AdminUrlAsync();
        var connection = ReadOnlyDatabase.ConnectionFor(new ApiOptions { DatabaseUrl = adminUrl });

        var refused = Assert.ThrowsAsync<PostgresException>(() => ExecuteRolledBackAsync(connection, write));

        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.ReadOnlySqlTransaction), refused.Message);
    }

    [Test]
    public async Task ConnectionFor_SuperuserUrl_RefusesAnInsertOutsideAnExplicitTransaction()
    {
        var adminUrl = await SeededApi.AdminUrlAsync();
        var connection = ReadOnlyDatabase.ConnectionFor(new ApiOptions { DatabaseUrl = adminUrl });
        await using var session = new NpgsqlConnection(connection.ConnectionString);
        await session.OpenAsync();

        Assert.That(await ScalarAsync(session, "SHOW default_transaction_read_only"), Is.EqualTo("on"));
        Assert.That(await ScalarAsync(session, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"), Is.EqualTo("true"));
        await using var probe = new NpgsqlCommand("CREATE TABLE read_only_probe (x int)", session);
        var refused = Assert.ThrowsAsync<PostgresException>(() => probe.ExecuteNonQueryAsync());
        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.ReadOnlySqlTransaction));
    }

    [TestCaseSource(nameof(Writes))]
    public async Task ApiRole_PlainSession_IsRefusedEveryWrite(string write)
    {
        var roleUrl = await SeededApi.ApiRoleUrlAsync();
        var connection = DatabaseUrl.Parse(roleUrl);

        var refused = Assert.ThrowsAsync<PostgresException>(() => ExecuteRolledBackAsync(connection, write));

        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege), refused.Message);
    }

    [Test]
    public async Task ApiRole_PlainSession_IsNotReadOnlyButCanSelectEveryTable()
    {
        var roleUrl = await SeededApi.ApiRoleUrlAsync();
        await using var session = new NpgsqlConnection(DatabaseUrl.Parse(roleUrl).ConnectionString);
        await session.OpenAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync(session, "SHOW default_transaction_read_only"), Is.EqualTo("off"), "the role alone must hold");
            Assert.That(await ScalarAsync(session, "SELECT current_user"), Is.EqualTo(SeededApi.ApiRole));
            Assert.That(await ScalarAsync(session, "SELECT count(*)::text FROM chain_event"), Is.EqualTo(Seed.EventCount.ToString()));
            Assert.That(await ScalarAsync(session, "SELECT count(*)::text FROM workflow_state"), Is.EqualTo("4"));
            Assert.That(await ScalarAsync(session, "SELECT last_block::text FROM sync_checkpoint"), Is.EqualTo(Seed.LastBlock.ToString()));
            Assert.That(await ScalarAsync(session, "SELECT count(*)::text FROM indexer_status"), Is.EqualTo("1"));
        });
    }

    [Test]
    public async Task ApiRole_PlainSession_CannotCreateTables()
    {
        var roleUrl = await SeededApi.ApiRoleUrlAsync();

        var refused = Assert.ThrowsAsync<PostgresException>(
            () => ExecuteRolledBackAsync(DatabaseUrl.Parse(roleUrl), "CREATE TABLE public.api_role_probe (x int)"));

        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege), refused.Message);
    }

    private static async Task ExecuteRolledBackAsync(NpgsqlConnectionStringBuilder connection, string sql)
    {
        await using var session = new NpgsqlConnection(connection.ConnectionString);
        await session.OpenAsync();
        await using var transaction = await session.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(sql, session, transaction);
        await command.ExecuteNonQueryAsync();
        await transaction.RollbackAsync();
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection session, string sql)
    {
        await using var command = new NpgsqlCommand(sql, session);
        return (string?)await command.ExecuteScalarAsync();
    }
}
