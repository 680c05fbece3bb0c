using Indexer.Worker.Startup;
using Microsoft.Extensions.Configuration;
using Npgsql;
using NUnit.Framework;

namespace Indexer.Worker.Tests.Startup;

[TestFixture]
public sealed class SessionsAheadTests
{
    [Test]
    public async Task EachSessionIsHandedOverOnce_Open_AndOnlyForTheSameDatabase()
    {
        var database = await ObservedDatabase.CreateAsync();
        await using var ahead = SessionsAhead.TryStart(Configuration(database.Url), forWriter: true);
        var connection = IndexerServices.DatabaseConnection(database.Url);
        var another = IndexerServices.DatabaseConnection(database.Url + "?Timeout=7");
        await using var anotherPool = ServiceDefaults.Configuration.PostgresDataSource.Create(another);

        Assert.That(ahead, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(ahead!.DatabaseFor(another), Is.Null);
            Assert.That(ahead.TakePreflightSession(anotherPool), Is.Null);
            Assert.That(ahead.TakeLockSession(another), Is.Null);
            Assert.That(ahead.DatabaseFor(connection), Is.SameAs(ahead.Database));
        });

        await using var preflight = await ahead!.TakePreflightSession(ahead.Database)!;
        await using var writerLock = await ahead.TakeLockSession(connection)!;
        Assert.Multiple(() =>
        {
            Assert.That(preflight.State, Is.EqualTo(System.Data.ConnectionState.Open));
            Assert.That(writerLock.State, Is.EqualTo(System.Data.ConnectionState.Open));
            Assert.That(new NpgsqlConnectionStringBuilder(writerLock.ConnectionString).Pooling, Is.False, "closing the lock's session must end it");
            Assert.That(ahead.TakePreflightSession(ahead.Database), Is.Null, "taken once");
            Assert.That(ahead.TakeLockSession(connection), Is.Null, "taken once");
        });
    }

    [Test]
    public async Task ForVerify_NoLockSessionIsOpened()
    {
        var database = await ObservedDatabase.CreateAsync();
        await using var ahead = SessionsAhead.TryStart(Configuration(database.Url), forWriter: false);

        Assert.That(ahead!.TakeLockSession(IndexerServices.DatabaseConnection(database.Url)), Is.Null);
    }

    [TestCase(null)]
    [TestCase("mysql://u:pw@h/db")]
    public async Task AnUnusableDatabaseUrl_OpensNothing(string? url)
    {
        await using var ahead = SessionsAhead.TryStart(Configuration(url), forWriter: true);

        Assert.That(ahead, Is.Null);
    }

    private static IConfiguration Configuration(string? databaseUrl) =>
        new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>("DATABASE_URL", databaseUrl)]).Build();
}
