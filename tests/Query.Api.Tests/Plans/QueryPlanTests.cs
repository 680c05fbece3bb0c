using System.Text.Json.Nodes;
using ServiceDefaults.Configuration;
using Migrations.Schema;
using Npgsql;
using NpgsqlTypes;
using NUnit.Framework;
using Query.Api.Database;
using Query.Api.Stats;
using Query.Api.Tests.Support;
using Query.Api.Workflows;
using TestSupport;

namespace Query.Api.Tests.Plans;

/// <summary>
/// Every statement the list, the counts and the timeline run — each combination of filters, with and
/// without a cursor — is served by indexes: its plan has no sequential scan of workflow_state or
/// chain_event. Plans are taken both ways PostgreSQL may run a prepared statement (the API's statements
/// are prepared after their second use): custom (planned for the values) and generic (planned once for
/// any values), over a synthetic history of <see cref="WorkflowCount"/> workflows.
/// </summary>
public sealed class QueryPlanTests
{
    private const int WorkflowCount = 20_000;

    private static readonly string[] IndexedTables = ["workflow_state", "chain_event"];

    private NpgsqlDataSource _database = null!;
    private Values _values = null!;

    [OneTimeSetUp]
    public async Task WriteTheSyntheticHistory()
    {
        var url = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        var migration = new SchemaMigrator(DatabaseUrl.Parse(url)).Apply(TextWriter.Null);
        Assert.That(migration.Successful, Is.True, migration.Error?.ToString());
        _database = NpgsqlDataSource.Create(DatabaseUrl.Parse(url));
        await SyntheticHistory.WriteAsync(_database, WorkflowCount);
        _values = await Values.ReadAsync(_database);
    }

    [OneTimeTearDown]
    public async Task Close() => await _database.DisposeAsync();

    public static IEnumerable<TestCaseData> FilterMasks() =>
        Enumerable.Range(0, 32).Select(mask => new TestCaseData(mask).SetArgDisplayNames(Values.Describe(mask)));

    [TestCaseSource(nameof(FilterMasks))]
    public async Task List_FirstPage_UsesIndexesOnly(int mask) =>
        await AssertIndexedAsync(WorkflowQueries.ListStatement(new WorkflowPageRequest(100, 0, null, _values.Filter(mask))));

    [TestCaseSource(nameof(FilterMasks))]
    public async Task List_KeysetPage_UsesIndexesOnly(int mask) =>
        await AssertIndexedAsync(WorkflowQueries.ListStatement(new WorkflowPageRequest(100, 0, _values.Cursor, _values.Filter(mask))));

    [TestCaseSource(nameof(FilterMasks))]
    public async Task List_OffsetPage_UsesIndexesOnly(int mask) =>
        await AssertIndexedAsync(WorkflowQueries.ListStatement(new WorkflowPageRequest(100, 500, null, _values.Filter(mask))));

    [TestCaseSource(nameof(FilterMasks))]
    public async Task Stats_UsesIndexesOnly(int mask) =>
        await AssertIndexedAsync(StatsEndpoints.CountStatement(_values.Filter(mask)));

    [TestCase("hour", null, 24)]
    [TestCase("day", null, 30)]
    [TestCase("hour", 2000L, 1000)]
    [TestCase("day", 0L, 1000)]
    public async Task Timeline_UsesIndexesOnly(string bucket, long? firstBlock, int count)
    {
        var seconds = TimelineRequest.BucketSeconds[bucket];
        var first = firstBlock is { } block ? SyntheticHistory.TimestampOf(block) / seconds * seconds : (long?)null;

        await AssertIndexedAsync(TimelineEndpoints.TimelineStatement(new TimelineSpan(bucket, seconds, first, count)));
    }

    [TestCase(1)]
    [TestCase(WorkflowLookup.MaxBatchSize)]
    public async Task Detail_UsesIndexesOnly(int ids) =>
        await AssertIndexedAsync(WorkflowQueries.DetailStatement([.. Enumerable.Range(0, ids).Select(i => Seed.WorkflowId($"planned {i}"))]));

    private async Task AssertIndexedAsync(SqlStatement statement)
    {
        foreach (var mode in new[] { "force_custom_plan", "force_generic_plan" })
        {
            var plan = await PlanAsync(statement, mode);
            var scanned = SequentialScans(JsonNode.Parse(plan)![0]!["Plan"]!).Where(IndexedTables.Contains).ToList();
            Assert.That(scanned, Is.Empty, $"{mode}: sequential scan of {string.Join(", ", scanned)} in\n{statement.Text}\n{plan}");
        }
    }

    /// <summary>EXPLAIN of <paramref name="statement"/> prepared, as the API's statements are, and executed in <paramref name="mode"/>.</summary>
    private async Task<string> PlanAsync(SqlStatement statement, string mode)
    {
        await using var connection = await _database.OpenConnectionAsync();
        var types = string.Join(", ", statement.Parameters.Select(parameter => SqlType(parameter.NpgsqlDbType)));
        await ExecuteAsync(connection, $"SET plan_cache_mode = {mode}");
        await ExecuteAsync(connection, $"PREPARE planned ({types}) AS {statement.Text}");
        try
        {
            // EXECUTE takes no bind parameters: the test's own values, written as literals.
            var arguments = string.Join(", ", statement.Parameters.Select(Literal));
            await using var explain = new NpgsqlCommand($"EXPLAIN (FORMAT JSON) EXECUTE planned ({arguments})", connection);
            return (string)(await explain.ExecuteScalarAsync())!;
        }
        finally
        {
            await ExecuteAsync(connection, "DEALLOCATE planned");
            await ExecuteAsync(connection, "RESET plan_cache_mode");
        }
    }

    private static IEnumerable<string> SequentialScans(JsonNode plan)
    {
        if ((string?)plan["Node Type"] == "Seq Scan")
        {
            yield return (string)plan["Relation Name"]!;
        }

        foreach (var child in plan["Plans"]?.AsArray() ?? [])
        {
            foreach (var relation in SequentialScans(child!))
            {
                yield return relation;
            }
        }
    }

    private static string SqlType(NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Array | NpgsqlDbType.Text => "text[]",
        NpgsqlDbType.Text => "text",
        NpgsqlDbType.Jsonb => "jsonb",
        NpgsqlDbType.Bigint => "bigint",
        NpgsqlDbType.Integer => "integer",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "A parameter type this test does not know."),
    };

    private static string Literal(NpgsqlParameter parameter) => parameter.Value switch
    {
        DBNull => "NULL",
        string[] texts => $"ARRAY[{string.Join(", ", texts.Select(Quoted))}]::text[]",
        string text => Quoted(text),
        long or int => Convert.ToString(parameter.Value, System.Globalization.CultureInfo.InvariantCulture)!,
        var other => throw new ArgumentOutOfRangeException(nameof(parameter), other, "A parameter value this test does not know."),
    };

    private static string Quoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A value of each filter that matches some of the synthetic workflows, and a cursor in the middle of the list.</summary>
    private sealed record Values(string Initiator, string Payee, long StartedFrom, long StartedTo, ListCursor Cursor)
    {
        private static readonly string[] Names = ["status", "initiator", "payee", "startedFrom", "startedTo"];

        public static string Describe(int mask) =>
            mask == 0 ? "no filter" : string.Join("+", Names.Where((_, bit) => (mask & (1 << bit)) != 0));

        public static async Task<Values> ReadAsync(NpgsqlDataSource database)
        {
            await using var command = database.CreateCommand("""
                SELECT (SELECT initiator FROM workflow_state ORDER BY workflow_id LIMIT 1),
                       (SELECT settlements -> 0 ->> 'to' FROM workflow_state WHERE settlements <> '[]' ORDER BY workflow_id LIMIT 1)
                """);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var middle = WorkflowCount / 4 / 2; // a block halfway through the list
            return new Values(
                reader.GetString(0),
                reader.GetString(1),
                SyntheticHistory.TimestampOf(middle / 2),
                SyntheticHistory.TimestampOf(middle),
                new ListCursor(middle, 0, 0));
        }

        public WorkflowFilter Filter(int mask) => new(
            (mask & 1) != 0 ? ["failed", "rejected"] : null,
            (mask & 2) != 0 ? Initiator : null,
            (mask & 4) != 0 ? Payee : null,
            (mask & 8) != 0 ? StartedFrom : null,
            (mask & 16) != 0 ? StartedTo : null);
    }
}
