using TestSupport;

namespace Indexer.Worker.Tests.DatabaseFaults;

/// <summary>
/// PostgreSQL stopped until disposed. Ending the outage on dispose also means that a test failing
/// mid-outage does not leave the fixture's server down for the next one.
/// </summary>
public sealed class Outage : IAsyncDisposable
{
    private readonly PostgresServer server;

    private Outage(PostgresServer server) => this.server = server;

    public static async Task<Outage> BeginAsync(PostgresServer server)
    {
        await server.StopAsync();
        return new Outage(server);
    }

    /// <summary>Starts PostgreSQL again, on the same port with the same data.</summary>
    public async ValueTask DisposeAsync() => await server.StartAgainAsync();
}
