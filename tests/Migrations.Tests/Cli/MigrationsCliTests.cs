using Migrations.Tests.Support;
using NUnit.Framework;

namespace Migrations.Tests.Cli;

public sealed class MigrationsCliTests
{
    private const string UsageLine = "usage: dotnet Migrations.dll [apply | status | script]";

    [Test]
    public async Task Script_EmptyDatabase_PrintsEveryScriptsSqlAndAppliesNothing()
    {
        var url = await Database.CreateEmptyAsync();

        var (exitCode, output) = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "script");

        Assert.That(exitCode, Is.Zero, output);
        Assert.Multiple(async () =>
        {
            Assert.That(output, Does.Contain($"{Scripts.InOrder.Length} pending migration(s)"));
            foreach (var script in Scripts.InOrder)
            {
                Assert.That(output, Does.Contain(script));
            }

            Assert.That(output, Does.Contain("CREATE TABLE chain_event ("));
            Assert.That(output, Does.Contain("CREATE INDEX workflow_state_status ON workflow_state (status);"));
            Assert.That(output, Does.Contain("INSERT INTO indexer_status (id) VALUES (1);"));
            Assert.That(output, Does.Contain("GRANT SELECT ON chain_event, workflow_state"));
            Assert.That(
                output.IndexOf("0001_chain_event.sql", StringComparison.Ordinal),
                Is.LessThan(output.IndexOf("0004_reader_role.sql", StringComparison.Ordinal)),
                "in the order they would run");
            Assert.That(output, Does.Not.Contain(new Uri(url).UserInfo.Split(':')[1]), "the password is never printed");
            Assert.That(await Database.PublicTablesAsync(url), Is.Empty, "nothing applied, not even the journal");
        });
    }

    [Test]
    public async Task NoArguments_EmptyDatabase_AppliesEveryScriptAndExitsZero()
    {
        var url = await Database.CreateEmptyAsync();

        var (exitCode, output) = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url));

        Assert.That(exitCode, Is.Zero, output);
        Assert.Multiple(async () =>
        {
            Assert.That(output, Does.Contain($"Schema up to date ({Scripts.InOrder.Length} script(s) applied now)."));
            foreach (var table in Scripts.Tables)
            {
                Assert.That(await Database.TableExistsAsync(url, table), Is.True, table);
            }
        });
    }

    [Test]
    public async Task NoArguments_UpToDateDatabase_AppliesNothingAndPrintsNothingPending()
    {
        var url = await Database.CreateEmptyAsync();
        var first = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url));
        Assert.That(first.ExitCode, Is.Zero, first.Output);

        var (exitCode, output) = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url));
        var (printExitCode, printed) = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "script");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("(0 script(s) applied now)"));
            Assert.That(printExitCode, Is.Zero, printed);
            Assert.That(printed, Does.Contain("0 pending migration(s)").And.Not.Contain("CREATE TABLE"));
        });
    }

    [Test]
    public async Task NoArguments_ScriptFails_ExitsOneNamingTheScriptAndLeavesNoPartialSchema()
    {
        var url = await Database.CreateEmptyAsync();
        await Database.ExecuteAsync(url, "CREATE TABLE sync_checkpoint (squatter int)");

        var (exitCode, output) = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url));

        Assert.Multiple(async () =>
        {
            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("Migration failed in").And.Contain("0003_indexer_progress.sql"));
            Assert.That(await Database.TableExistsAsync(url, "chain_event"), Is.False, "0001 and 0002 are rolled back with 0003");
            Assert.That(await Database.TableExistsAsync(url, "workflow_state"), Is.False);
        });
    }

    [TestCase("--bogus")]
    [TestCase("script", "extra")]
    [TestCase("--print-pending")]
    public async Task UnknownArguments_ExitTwoWithTheUsageLine(params string[] arguments)
    {
        var url = await Database.CreateEmptyAsync();

        var (exitCode, output) = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), arguments);

        Assert.Multiple(async () =>
        {
            Assert.That(exitCode, Is.EqualTo(2), output);
            Assert.That(output.Trim(), Is.EqualTo(UsageLine));
            Assert.That(await Database.PublicTablesAsync(url), Is.Empty);
        });
    }

    [Test]
    public async Task DatabaseUrlUnset_ExitsTwoNamingDatabaseUrl()
    {
        var (exitCode, output) = await MigrationsCli.RunAsync(new Dictionary<string, string>());

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2), output);
            Assert.That(output, Does.Contain("DATABASE_URL"));
            Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task DatabaseUrlInvalid_ExitsTwoNamingDatabaseUrlWithoutThePassword()
    {
        var (exitCode, output) = await MigrationsCli.RunAsync(
            MigrationsCli.WithDatabase("mysql://admin:Hunter2-Secret@localhost/db"));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2), output);
            Assert.That(output, Does.Contain("DATABASE_URL").And.Not.Contain("Hunter2-Secret"));
        });
    }

    [Test]
    public async Task NoArguments_DatabaseUnreachable_ExitsOneNamingTheDatabaseWithoutAStackTrace()
    {
        var port = TestSupport.FreePort.Next();

        var (exitCode, output) = await MigrationsCli.RunAsync(
            MigrationsCli.WithDatabase($"postgresql://u:Hunter2-Secret@127.0.0.1:{port}/db?timeout=3"));

        // Program.cs means to answer "Cannot reach the database at 127.0.0.1:<port>/db: ..." (its NpgsqlException catch),
        // but DbUp's PerformUpgrade swallows the exception and logs its full ToString() (a stack trace) through the upgrade log.
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain($"127.0.0.1:{port}/db").And.Not.Contain("Hunter2-Secret"));
            Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task Script_DatabaseUnreachable_ExitsOneNamingTheDatabaseWithoutAStackTrace()
    {
        var port = TestSupport.FreePort.Next();

        var (exitCode, output) = await MigrationsCli.RunAsync(
            MigrationsCli.WithDatabase($"postgresql://u:Hunter2-Secret@127.0.0.1:{port}/db?timeout=3"), "script");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain($"Cannot reach the database at 127.0.0.1:{port}/db").And.Not.Contain("Hunter2-Secret"));
            Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        });
    }
}
