using Dapper;
using Indexer.Worker.Proofs;
using Indexer.Worker.SingleWriter;
using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;
using TestSupport;

namespace Indexer.Worker.Tests.Proofs;

/// <summary>The proof row is written only through the session that holds the writer lock.</summary>
[TestFixture]
public sealed class ProofStoreTests
{
    private static readonly DeterminismProof First = Proof("0x" + new string('1', 64));
    private static readonly DeterminismProof Second = Proof("0x" + new string('2', 64));

    private ObservedDatabase database = null!;
    private NpgsqlDataSource source = null!;
    private ProofStore store = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        database = await ObservedDatabase.CreateAsync();
        source = NpgsqlDataSource.Create(DatabaseUrl.Parse(database.Url).ConnectionString);
        store = new ProofStore(source);
    }

    [TearDown]
    public async Task DisposeDataSource() => await source.DisposeAsync();

    [Test]
    public async Task SaveAsync_WhileTheGivenSessionHoldsTheWriterLock_StoresTheProof()
    {
        await using var writer = await LockHolderAsync();

        var stored = await store.SaveAsync(First, writer.ProcessID, CancellationToken.None);

        Assert.That(stored, Is.True);
        Assert.That(await StoredEventLogHashAsync(), Is.EqualTo(First.EventLogHash));
    }

    [Test]
    public async Task SaveAsync_ForASessionThatDoesNotHoldTheLock_StoresNothing()
    {
        await using var writer = await LockHolderAsync();
        await using var standby = await source.OpenConnectionAsync();
        await store.SaveAsync(First, writer.ProcessID, CancellationToken.None);

        var stored = await store.SaveAsync(Second, standby.ProcessID, CancellationToken.None);

        Assert.That(stored, Is.False);
        Assert.That(await StoredEventLogHashAsync(), Is.EqualTo(First.EventLogHash));
    }

    [Test]
    public async Task SaveAsync_AfterTheWritersLockSessionEnded_StoresNothing()
    {
        var writer = await LockHolderAsync();
        var endedSession = writer.ProcessID;
        await store.SaveAsync(First, endedSession, CancellationToken.None);
        await writer.DisposeAsync();
        // The server ends the session, and frees its lock, a moment after the client hangs up.
        await Eventually.TrueAsync(
            async () =>
            {
                await using var probe = await source.OpenConnectionAsync();
                return !await probe.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = @Pid)", new { Pid = endedSession });
            },
            TimeSpan.FromSeconds(10),
            "the writer's session should end once its connection is closed");

        var stored = await store.SaveAsync(Second, endedSession, CancellationToken.None);

        Assert.That(stored, Is.False);
        Assert.That(await StoredEventLogHashAsync(), Is.EqualTo(First.EventLogHash));
    }

    private async Task<string?> StoredEventLogHashAsync() => (await database.DeterminismProofAsync())?.EventLogHash;

    private async Task<NpgsqlConnection> LockHolderAsync()
    {
        // Unpooled like the worker's lock session, so disposing it ends the session and frees the lock.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(DatabaseUrl.Parse(database.Url).ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@Key)", new { WriterLock.Key }), Is.True);
        return connection;
    }

    private static DeterminismProof Proof(string eventLogHash) =>
        new(7, "0x" + new string('b', 64), 3, eventLogHash, 1, "0x" + new string('e', 64), TimeSpan.FromMilliseconds(5));
}
