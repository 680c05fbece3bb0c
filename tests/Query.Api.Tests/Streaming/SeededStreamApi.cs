using Indexer.Worker.Ingestion;
using ServiceDefaults.Configuration;
using Npgsql;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.Streaming;

/// <summary>
/// A seeded database of its own (see <see cref="Seed"/>) and an API process on it with the given settings.
/// New ranges are committed through the worker's own write path (RangeCommitter, which also sends the NOTIFY).
/// </summary>
internal sealed class SeededStreamApi : IAsyncDisposable
{
    private SeededStreamApi(ApiProcess api, NpgsqlDataSource database)
    {
        Api = api;
        Database = database;
    }

    public ApiProcess Api { get; }

    /// <summary>The seeded database with the admin's rights, for writing as the worker.</summary>
    public NpgsqlDataSource Database { get; }

    public Uri Address => Api.Http.BaseAddress!;

    public static async Task<SeededStreamApi> StartAsync(IReadOnlyDictionary<string, string>? settings = null, PostgresServer? server = null)
    {
        var (adminUrl, apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(server ?? await SharedPostgres.GetAsync());
        var database = NpgsqlDataSource.Create(DatabaseUrl.Parse(adminUrl));
        try
        {
            return new SeededStreamApi(await ApiProcess.StartAsync(apiRoleUrl, settings), database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public Task<EventStream> OpenAsync(string pathAndQuery = "stream", string? lastEventId = null) =>
        EventStream.OpenAsync(Address, pathAndQuery, lastEventId);

    /// <summary>Commits one range on top of the checkpoint, as the worker does.</summary>
    public async Task CommitAsync(IngestedRange range)
    {
        await using var connection = await Database.OpenConnectionAsync();
        await RangeCommitter.CommitAsync(connection, range, Seed.ChainId, Seed.Contract, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>The ids the API writes for the seeded blocks (whose hashes are <see cref="Seed.BlockHashOf"/>).</summary>
internal static class SeedIds
{
    public static string Event(long block, int transactionIndex, int logIndex) => $"{block}.{transactionIndex}.{logIndex}.{Hash16(block)}";

    public static string EndOf(long block) => $"{block}.{Hash16(block)}";

    public static string Hash16(long block) => Seed.BlockHashOf(block)[2..18];
}
