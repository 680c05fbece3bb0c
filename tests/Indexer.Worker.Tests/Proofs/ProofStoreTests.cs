using Dapper;
using Indexer.Worker.Proofs;
using Indexer.Worker.SingleWriter;
using Migrations.Configuration;
using Npgsql;
using NUnit.Framework;

namespace Indexer.Worker.Tests.Proofs;

/// <summary>The proof row is written only through the session that holds the writer lock.</summary>
[TestFixture]
public sealed class ProofStoreTests
{
    private static readonly DeterminismProof First = Proof("0x" + new string('1', 64));
    private static readonly DeterminismProof Second = Proof("0x" + new string('2', 64));

    [Test]
    public async Task SaveAsync_WhileTheGivenSessionHoldsTheWriterLock_StoresTheProof()
    {
        var database = await ObservedDatabase.CreateAsync();
        await using var source = NpgsqlDataSource.Create(DatabaseUrl.Parse(database.Url).ConnectionString);
        await using var writer = await LockHolderAsync(database);

        var stored = await new ProofStore(source).SaveAsync(First, writer.ProcessID, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(stored, Is.True);
            Assert.That((await database.DeterminismProofAsync())?.EventLogHash, Is.EqualTo(First.EventLogHash));
        });
    }

    [Test]
    public async Task SaveAsync_ForASessionThatDoesNotHoldTheLock_StoresNothing()
    {
        var database = await ObservedDatabase.CreateAsync();
        await using var source = NpgsqlDataSource.Create(DatabaseUrl.Parse(database.Url).ConnectionString);
        var store = new ProofStore(source);
        await using var writer = await LockHolderAsync(database);
        await using var standby = new NpgsqlConnection(DatabaseUrl.Parse(database.Url).ConnectionString);
        await standby.OpenAsync();
        await store.SaveAsync(First, writer.ProcessID, CancellationToken.None);

        var stored = await store.SaveAsync(Second, standby.ProcessID, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(stored, Is.False);
            Assert.That((await database.DeterminismProofAsync())?.EventLogHash, Is.EqualTo(First.EventLogHash));
        });
    }

    [Test]
    public async Task SaveAsync_AfterTheWritersLockSessionEnded_StoresNothing()
    {
        var database = await ObservedDatabase.CreateAsync();
        await using var source = NpgsqlDataSource.Create(DatabaseUrl.Parse(database.Url).ConnectionString);
        var store = new ProofStore(source);
        var writer = await LockHolderAsync(database);
        var lostSession = writer.ProcessID;
        await store.SaveAsync(First, lostSession, CancellationToken.None);
        await writer.DisposeAsync();

        var stored = await store.SaveAsync(Second, lostSession, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(stored, Is.False);
            Assert.That((await database.DeterminismProofAsync())?.EventLogHash, Is.EqualTo(First.EventLogHash));
        });
    }

    private static async Task<NpgsqlConnection> LockHolderAsync(ObservedDatabase database)
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
