using Indexer.Worker.Tests.Backfill;
using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;
using TestSupport;

namespace Indexer.Worker.Tests.Roles;

/// <summary>
/// deploy/sql/roles.sql as a DBA runs it, then migrations, the worker (following and replay) and the API,
/// each under exactly the role the template makes for it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LeastPrivilegeRolesTests
{
    // Unique names: roles are server-wide and the test server is shared.
    private readonly string workerRole = "x402_worker_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string apiRole = "x402_api_" + Guid.NewGuid().ToString("N")[..8];
    private SimulatedChain chain = null!;
    private ObservedDatabase database = null!;
    private string adminUrl = null!;

    [OneTimeSetUp]
    public async Task CreateTheRolesFromTheTemplate()
    {
        chain = await SimulatedChain.StartAsync();
        adminUrl = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        var name = DatabaseUrl.Parse(adminUrl).Database!;
        await using var psql = ChildProcess.Start(
            "psql",
            [adminUrl, "-q", "-v", "ON_ERROR_STOP=1", "-f", Path.Combine(RepoLayout.Root, "deploy", "sql", "roles.sql"),
             "-v", $"database={name}", "-v", $"worker_role={workerRole}", "-v", "worker_password=worker-test-password",
             "-v", $"api_role={apiRole}", "-v", "api_password=api-test-password"]);
        Assert.That(await psql.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero, psql.Output);
        database = ObservedDatabase.At(LoginAs(workerRole, "worker-test-password"), LoginAs(apiRole, "api-test-password"));
    }

    [OneTimeTearDown]
    public ValueTask StopChain() => chain.DisposeAsync();

    [Test]
    [Order(1)]
    public async Task MigrationsWorkerAndApi_RunUnderTheirRoles_AndServeTheSimulatedWorkflows()
    {
        await using (var migrations = ChildProcess.StartDotnet(RepoLayout.BuiltDll("Migrations"), ["apply"], new Dictionary<string, string> { ["DATABASE_URL"] = database.Url }))
        {
            Assert.That(await migrations.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero, migrations.Output);
        }

        await using (var worker = Processes.StartWorker(Processes.WorkerEnvironment(chain.Result, database)))
        {
            await Processes.WaitForCatchUpAsync(database, chain.Result.LastBlock, worker);
        }

        await using var api = await Processes.StartApiAsync(database);
        var stats = await api.GetJsonAsync("/stats");
        var someWorkflow = chain.Result.Workflows[0].WorkflowId;
        var detail = await api.GetJsonAsync($"/workflows/{someWorkflow}");

        Assert.Multiple(() =>
        {
            Assert.That(stats.GetProperty("total").GetInt32(), Is.EqualTo(chain.Result.Expected.Total));
            Assert.That(detail.GetProperty("workflow").GetProperty("workflowId").GetString(), Is.EqualTo(someWorkflow));
        });
    }

    [Test]
    [Order(2)]
    public async Task Replay_UnderTheWorkerRole_SwapsInTheRebuiltProjection()
    {
        var before = await database.ProjectionAsync();

        await using var replay = Processes.StartWorker(Processes.WorkerEnvironment(chain.Result, database), "replay");

        Assert.Multiple(async () =>
        {
            Assert.That(await replay.WaitForExitAsync(Processes.CatchUpTimeout), Is.Zero, replay.Output);
            Assert.That(await database.ProjectionAsync(), Is.EqualTo(before).And.Not.Empty);
        });
    }

    [Test]
    [Order(3)]
    public async Task TheApiRole_CanReadButNotWrite_EvenWithReadOnlyTransactionsSwitchedOff()
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(database.ReaderUrl).ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT count(*) FROM workflow_state", connection);
        Assert.That((long)(await read.ExecuteScalarAsync())!, Is.EqualTo(chain.Result.Expected.Total));

        await using var write = new NpgsqlCommand(
            "SET default_transaction_read_only = off; SET transaction_read_only = off; DELETE FROM chain_event", connection);
        var error = Assert.ThrowsAsync<PostgresException>(() => write.ExecuteNonQueryAsync());
        Assert.That(error!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
    }

    [Test]
    [Order(3)]
    public async Task TheWorkerRole_HasNothingServerWide_AndOthersCannotConnect()
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(database.Url).ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE x402_should_not_exist", connection);
        var createError = Assert.ThrowsAsync<PostgresException>(() => create.ExecuteNonQueryAsync());

        var stranger = "x402_stranger_" + Guid.NewGuid().ToString("N")[..8];
        await (await SharedPostgres.GetAsync()).CreateLoginRoleAsync(stranger, "stranger-password", adminUrl);
        await using var strangerConnection = new NpgsqlConnection(DatabaseUrl.Parse(LoginAs(stranger, "stranger-password")).ConnectionString);
        var connectError = Assert.ThrowsAsync<PostgresException>(() => strangerConnection.OpenAsync());

        Assert.Multiple(() =>
        {
            Assert.That(createError!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
            Assert.That(connectError!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
        });
    }

    private string LoginAs(string role, string password) =>
        new UriBuilder(adminUrl) { UserName = role, Password = password }.Uri.ToString();
}
