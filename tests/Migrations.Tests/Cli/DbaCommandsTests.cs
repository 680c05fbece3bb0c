using Migrations.Schema;
using Migrations.Tests.Support;
using NUnit.Framework;
using TestSupport;

namespace Migrations.Tests.Cli;

/// <summary>status, script and apply as a DBA uses them: checksums, a reviewed file run by psql, concurrent runs.</summary>
public sealed class DbaCommandsTests
{
    [Test]
    public async Task Status_EmptyDatabase_ListsEveryScriptPendingWithItsChecksumAndCreatesNothing()
    {
        var url = await Database.CreateEmptyAsync();

        var (exitCode, output) = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "status");

        Assert.Multiple(async () =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain($"0 applied, {Scripts.InOrder.Length} pending, 0 modified"));
            foreach (var script in Scripts.InOrder)
            {
                Assert.That(output, Does.Match($@"pending .*{script.Replace(".", @"\.")}  sha256 [0-9a-f]{{64}}"));
            }

            Assert.That(await Database.PublicTablesAsync(url), Is.Empty);
        });
    }

    [Test]
    public async Task Status_AfterApply_ListsEveryScriptAppliedWithTheChecksumItRanWith()
    {
        var url = await Database.CreateEmptyAsync();
        await ApplyAsync(url);

        var (exitCode, output) = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "status");

        Assert.Multiple(async () =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain($"{Scripts.InOrder.Length} applied, 0 pending, 0 modified"));
            Assert.That(
                await Database.ScalarAsync<long>(url, $"SELECT count(*) FROM {SchemaMigrator.ChecksumTable} WHERE sha256 ~ '^[0-9a-f]{{64}}$'"),
                Is.EqualTo(Scripts.InOrder.Length));
        });
    }

    [Test]
    public async Task AnAppliedScriptThatChanged_IsReportedByStatus_AndApplyRefusesNamingIt()
    {
        var url = await Database.CreateEmptyAsync();
        await ApplyAsync(url);
        // The database remembers what ran; a different checksum there is what an edited script looks like.
        await Database.ExecuteAsync(url, $"UPDATE {SchemaMigrator.ChecksumTable} SET sha256 = repeat('0', 64) WHERE script_name LIKE '%0002_workflow_state.sql'");

        var status = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "status");
        var apply = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "apply");

        Assert.Multiple(() =>
        {
            Assert.That(status.ExitCode, Is.EqualTo(1), status.Output);
            Assert.That(status.Output, Does.Contain("1 modified").And.Match(@"modified .*0002_workflow_state\.sql .*\(ran as 0{64}\)"));
            Assert.That(apply.ExitCode, Is.EqualTo(1), apply.Output);
            Assert.That(apply.Output, Does.Contain("Nothing applied").And.Contain("0002_workflow_state.sql"));
        });
    }

    [Test]
    public async Task Script_RunWithPsql_AppliesAndJournalsEverything_SoApplyFindsNothingPending()
    {
        var url = await Database.CreateEmptyAsync();
        var (scriptExit, sql) = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "script");
        Assert.That(scriptExit, Is.Zero, sql);

        var psql = await PsqlAsync(url, sql);
        var status = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "status");
        var apply = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "apply");

        Assert.Multiple(async () =>
        {
            Assert.That(psql.ExitCode, Is.Zero, psql.Output);
            Assert.That(sql, Does.StartWith("-- x402 Workflow Observer").And.Contain("BEGIN;").And.Contain("COMMIT;"));
            Assert.That(status.Output, Does.Contain($"{Scripts.InOrder.Length} applied, 0 pending, 0 modified"), status.Output);
            Assert.That(apply.Output, Does.Contain("(0 script(s) applied now)"), apply.Output);
            foreach (var table in Scripts.Tables)
            {
                Assert.That(await Database.TableExistsAsync(url, table), Is.True, table);
            }
        });
    }

    [Test]
    public async Task Script_RunAgainAfterItWasApplied_FailsAndChangesNothing()
    {
        var url = await Database.CreateEmptyAsync();
        var (_, sql) = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "script");
        Assert.That((await PsqlAsync(url, sql)).ExitCode, Is.Zero);

        var again = await PsqlAsync(url, sql);

        Assert.Multiple(async () =>
        {
            Assert.That(again.ExitCode, Is.Not.Zero, again.Output);
            Assert.That(again.Output, Does.Contain("this file is out of date"));
            Assert.That(
                await Database.ScalarAsync<long>(url, $"SELECT count(*) FROM {SchemaMigrator.JournalTable}"),
                Is.EqualTo(Scripts.InOrder.Length),
                "each script journaled once");
        });
    }

    [Test]
    public async Task TwoConcurrentApplies_DoNotInterleave_EveryScriptRunsOnce()
    {
        var url = await Database.CreateEmptyAsync();

        var runs = await Task.WhenAll(
            MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "apply"),
            MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "apply"));

        Assert.Multiple(async () =>
        {
            Assert.That(runs.Select(run => run.ExitCode), Is.All.Zero, string.Join("\n---\n", runs.Select(run => run.Output)));
            Assert.That(
                runs.Select(run => run.Output.Contains($"({Scripts.InOrder.Length} script(s) applied now)", StringComparison.Ordinal)).Count(applied => applied),
                Is.EqualTo(1),
                "one run applies everything, the other waits and finds nothing pending");
            Assert.That(
                await Database.ScalarAsync<long>(url, $"SELECT count(*) FROM {SchemaMigrator.JournalTable}"),
                Is.EqualTo(Scripts.InOrder.Length));
        });
    }

    [Test]
    public async Task ScriptsJournaledBeforeChecksumsWereKept_AreAdoptedByTheNextApply()
    {
        var url = await Database.CreateEmptyAsync();
        await ApplyAsync(url);
        await Database.ExecuteAsync(url, $"DROP TABLE {SchemaMigrator.ChecksumTable}");

        var before = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "status");
        await ApplyAsync(url);

        Assert.Multiple(async () =>
        {
            Assert.That(before.ExitCode, Is.Zero, before.Output);
            Assert.That(before.Output, Does.Contain($"{Scripts.InOrder.Length} applied, 0 pending, 0 modified"));
            Assert.That(await Database.ScalarAsync<long>(url, $"SELECT count(*) FROM {SchemaMigrator.ChecksumTable}"), Is.EqualTo(Scripts.InOrder.Length));
        });
    }

    private static async Task ApplyAsync(string url)
    {
        var (exitCode, output) = await MigrationsCli.RunAsync(MigrationsCli.WithDatabase(url), "apply");
        Assert.That(exitCode, Is.Zero, output);
    }

    private static async Task<(int ExitCode, string Output)> PsqlAsync(string url, string sql)
    {
        using var file = await TempFile.WriteAsync("x402-dba-", "pending.sql", sql);
        await using var psql = ChildProcess.Start("psql", [url, "-v", "ON_ERROR_STOP=1", "-q", "-f", file.Path], new Dictionary<string, string>());
        return (await psql.WaitForExitAsync(MigrationsCli.Timeout), psql.Output);
    }
}
