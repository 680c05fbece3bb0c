using System.Text;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NUnit.Framework;
using Query.Api.Tests.Support;
using Query.Api.Workflows;
using ServiceDefaults.Configuration;
using TestSupport;

namespace Query.Api.Tests.Workflows;

/// <summary>
/// <see cref="WorkflowLookup"/> in process, on a real database of <see cref="GeneratedHistory"/>: lookups that
/// wait while a statement runs are read together, and each gets exactly the answer it gets alone. To make
/// them wait, a session holds workflow_state locked (ACCESS EXCLUSIVE: even a SELECT waits for it).
/// </summary>
public sealed class WorkflowLookupTests
{
    private const int WorkflowCount = 140;

    private string _adminUrl = null!;

    [OneTimeSetUp]
    public async Task WriteTheHistory() =>
        (_adminUrl, _) = await SeededApi.CreateDatabaseAsync(
            await SharedPostgres.GetAsync(), adminUrl => GeneratedHistory.WriteAsync(adminUrl, WorkflowCount));

    [Test]
    public async Task FindAsync_LookupsQueuedBehindARunningStatement_AreReadTogether_EachWithTheAnswerItGetsAlone()
    {
        var known = GeneratedHistory.Workflows(0, WorkflowCount).Select(workflow => workflow.Id).ToList();
        var unknown = Enumerable.Range(0, 20).Select(i => Seed.WorkflowId($"never observed {i}")).ToList();
        var ids = known.Concat(unknown).Concat(known.Take(10)).ToList();
        await using var lookups = new Lookups(DatabaseUrl.Parse(_adminUrl));
        var alone = new Dictionary<string, byte[]?>();
        foreach (var id in ids.Distinct())
        {
            alone[id] = await lookups.Lookup.FindAsync(id, CancellationToken.None);
        }

        var statementsAlone = lookups.Statements;
        List<Task<byte[]?>> together;
        await using (await LockWorkflowStateAsync())
        {
            // The first lookup's statement waits for the lock; every other one queues behind it meanwhile.
            together = ids.Select(id => lookups.Lookup.FindAsync(id, CancellationToken.None)).ToList();
        }

        var answers = await Task.WhenAll(together);

        Assert.Multiple(() =>
        {
            Assert.That(statementsAlone, Is.EqualTo(ids.Distinct().Count()), "alone, one statement a lookup");
            Assert.That(answers.Select(Text), Is.EqualTo(ids.Select(id => Text(alone[id]))));
            Assert.That(answers.Take(WorkflowCount), Has.All.Not.Null);
            Assert.That(answers.Skip(WorkflowCount).Take(unknown.Count), Has.All.Null);
            Assert.That(
                lookups.Statements - statementsAlone,
                Is.EqualTo(1 + (int)Math.Ceiling((ids.Count - 1) / (double)WorkflowLookup.MaxBatchSize)),
                "the first lookup alone, then the queued ones MaxBatchSize to a statement");
        });
    }

    [Test]
    public async Task FindAsync_ACallerGivesUp_TheOthersOfItsBatchStillGetTheirAnswers()
    {
        var (first, second, third) = (GeneratedHistory.Workflow(0).Id, GeneratedHistory.Workflow(1).Id, GeneratedHistory.Workflow(2).Id);
        await using var lookups = new Lookups(DatabaseUrl.Parse(_adminUrl));
        using var givingUp = new CancellationTokenSource();
        Task<byte[]?> firstAnswer, thirdAnswer;
        await using (await LockWorkflowStateAsync())
        {
            firstAnswer = lookups.Lookup.FindAsync(first, CancellationToken.None);
            var secondAnswer = lookups.Lookup.FindAsync(second, givingUp.Token);
            thirdAnswer = lookups.Lookup.FindAsync(third, CancellationToken.None);
            await givingUp.CancelAsync();

            Assert.CatchAsync<OperationCanceledException>(async () => await secondAnswer, "given up while its batch still waits");
        }

        var (firstText, thirdText) = (Text(await firstAnswer), Text(await thirdAnswer));
        Assert.Multiple(() =>
        {
            Assert.That(firstText, Does.Contain(first));
            Assert.That(thirdText, Does.Contain(third));
        });
    }

    [Test]
    public async Task FindAsync_AWorkflowWhoseProjectionRowWasDeleted_IsNotFound_AndTheOthersOfItsBatchAreAnsweredAsBefore()
    {
        var (adminUrl, _) = await SeededApi.CreateDatabaseAsync(
            await SharedPostgres.GetAsync(), url => GeneratedHistory.WriteAsync(url, 3));
        var (before, deleted, after) = (GeneratedHistory.Workflow(0).Id, GeneratedHistory.Workflow(1).Id, GeneratedHistory.Workflow(2).Id);
        await using var lookups = new Lookups(DatabaseUrl.Parse(adminUrl));
        var (beforeAlone, afterAlone) = (Text(await lookups.Lookup.FindAsync(before, default)), Text(await lookups.Lookup.FindAsync(after, default)));
        await using (var connection = new NpgsqlConnection(DatabaseUrl.Parse(adminUrl).ConnectionString))
        {
            await connection.OpenAsync();
            await using var delete = new NpgsqlCommand("DELETE FROM workflow_state WHERE workflow_id = $1", connection) { Parameters = { new() { Value = deleted } } };
            Assert.That(await delete.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        Task<byte[]?>[] together;
        await using (await LockWorkflowStateAsync(adminUrl))
        {
            together = [.. new[] { before, before, deleted, after }.Select(id => lookups.Lookup.FindAsync(id, default))];
        }

        var answers = (await Task.WhenAll(together)).Select(Text).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(answers, Is.EqualTo(new[] { beforeAlone, beforeAlone, null, afterAlone }));
            Assert.That(beforeAlone, Does.Contain(before));
            Assert.That(afterAlone, Does.Contain(after));
        });
    }

    [Test]
    public async Task FindAsync_DatabaseUnreachable_EveryLookupOfTheBatchFails_AndTheNextLookupTriesAgain()
    {
        var nowhere = DatabaseUrl.Parse(_adminUrl);
        nowhere.Port = FreePort.Next();
        await using var lookups = new Lookups(nowhere);

        var batch = Enumerable.Range(0, 3).Select(k => lookups.Lookup.FindAsync(GeneratedHistory.Workflow(k).Id, CancellationToken.None)).ToList();

        Assert.Multiple(() =>
        {
            foreach (var answer in batch)
            {
                Assert.CatchAsync<NpgsqlException>(async () => await answer);
            }

            Assert.CatchAsync<NpgsqlException>(() => lookups.Lookup.FindAsync(GeneratedHistory.Workflow(0).Id, CancellationToken.None));
        });
    }

    private static string? Text(byte[]? answer) => answer is null ? null : Encoding.UTF8.GetString(answer);

    /// <summary>A session holding workflow_state in ACCESS EXCLUSIVE mode; disposing it (not pooled: closed) releases the lock.</summary>
    private async Task<NpgsqlConnection> LockWorkflowStateAsync(string? adminUrl = null)
    {
        var unpooled = DatabaseUrl.Parse(adminUrl ?? _adminUrl);
        unpooled.Pooling = false;
        var connection = new NpgsqlConnection(unpooled.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("BEGIN; LOCK TABLE workflow_state IN ACCESS EXCLUSIVE MODE", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>A <see cref="WorkflowLookup"/> over its own data source, counting the lookup statements that data source ran.</summary>
    private sealed class Lookups : ILoggerProvider, ILogger, IAsyncDisposable
    {
        private readonly ILoggerFactory _logging;
        private readonly NpgsqlDataSource _database;
        private int _statements;

        public Lookups(NpgsqlConnectionStringBuilder connection)
        {
            _logging = LoggerFactory.Create(builder => builder.AddProvider(this).SetMinimumLevel(LogLevel.Trace));
            _database = new NpgsqlDataSourceBuilder(connection.ConnectionString).UseLoggerFactory(_logging).Build();
            var queries = new WorkflowQueries(_database, Options.Create(new JsonOptions()));
            Lookup = new WorkflowLookup(queries, new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance));
        }

        public WorkflowLookup Lookup { get; }

        public int Statements => Volatile.Read(ref _statements);

        public ILogger CreateLogger(string categoryName) => categoryName == "Npgsql.Command" ? this : NullLogger.Instance;

        public bool IsEnabled(LogLevel logLevel) => true;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (message.StartsWith("Command execution completed", StringComparison.Ordinal) && message.Contains("FROM chain_event", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _statements);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _database.DisposeAsync();
            _logging.Dispose();
        }

        // Disposed by its logger factory, which DisposeAsync disposes: nothing of its own to release.
        void IDisposable.Dispose()
        {
        }
    }
}
