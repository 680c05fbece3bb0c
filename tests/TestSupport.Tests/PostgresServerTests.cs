using Npgsql;
using NUnit.Framework;

namespace TestSupport.Tests;

public sealed class PostgresServerTests
{
    [Test]
    public async Task A_created_database_is_empty_and_answers_queries()
    {
        var server = await SharedPostgres.GetAsync();
        var url = await server.CreateDatabaseAsync();

        await Database.ExecuteAsync(url, "CREATE TABLE t (x int); INSERT INTO t VALUES (41), (1)");

        Assert.That(await Database.ScalarAsync<long>(url, "SELECT sum(x) FROM t"), Is.EqualTo(42));
        var otherUrl = await server.CreateDatabaseAsync();
        Assert.That(await Database.ScalarAsync<long>(otherUrl, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), Is.Zero);
    }

    [Test]
    public async Task A_database_can_be_created_under_a_given_name()
    {
        var server = await SharedPostgres.GetAsync();
        var name = "named_" + Guid.NewGuid().ToString("N");

        var url = await server.CreateDatabaseAsync(name);

        Assert.That(await Database.ScalarAsync<string>(url, "SELECT current_database()"), Is.EqualTo(name));
    }

    [Test]
    public async Task A_login_role_with_only_select_rights_can_read_but_not_insert()
    {
        var server = await SharedPostgres.GetAsync();
        var url = await server.CreateDatabaseAsync();
        var readerGroup = "readers_" + Guid.NewGuid().ToString("N");
        await Database.ExecuteAsync(url, $"""
            CREATE TABLE t (x int);
            INSERT INTO t VALUES (7);
            CREATE ROLE {readerGroup} NOLOGIN;
            GRANT SELECT ON t TO {readerGroup};
            """);

        var readerUrl = await server.CreateLoginRoleAsync("reader_" + Guid.NewGuid().ToString("N"), "s3cret'\"pw", url, readerGroup);

        Assert.That(await Database.ScalarAsync<int>(readerUrl, "SELECT x FROM t"), Is.EqualTo(7));
        var refused = Assert.ThrowsAsync<PostgresException>(() => Database.ExecuteAsync(readerUrl, "INSERT INTO t VALUES (8)"));
        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
    }

    [Test]
    public async Task Queries_fail_while_the_server_is_stopped_and_succeed_once_it_is_started_again()
    {
        // A server of its own: stopping the shared one would break the other tests.
        await using var server = await PostgresServer.StartAsync();
        if (!server.CanStopAndStartAgain)
        {
            Assert.Ignore("The server of TEST_DATABASE_URL cannot be stopped by tests.");
        }

        var url = await server.CreateDatabaseAsync();
        await Database.ExecuteAsync(url, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (1)");

        await server.StopAsync();
        // A pooled connection reports the shutdown (PostgresException 57P01), a new one is refused: both are NpgsqlExceptions.
        Assert.CatchAsync<NpgsqlException>(() => Database.ScalarAsync<int>(url, "SELECT 1"));
        Assert.CatchAsync<NpgsqlException>(() => Database.ScalarAsync<int>(url, "SELECT 1"));

        await server.StartAgainAsync();
        Assert.That(await Database.ScalarAsync<long>(url, "SELECT count(*) FROM kept"), Is.EqualTo(1));
    }
}
