namespace TestSupport;

/// <summary>One way of getting a PostgreSQL server for tests (given URL, container, private cluster).</summary>
internal interface IPostgresBackend : IAsyncDisposable
{
    /// <summary>URL of a role allowed to create databases and roles.</summary>
    string AdminUrl { get; }

    /// <summary>Says which server this is, for the test log.</summary>
    string Description { get; }

    /// <summary>True when the server is shared with others, so what the tests create must be dropped afterwards.</summary>
    bool IsShared { get; }

    Task StopAsync();

    Task StartAgainAsync();
}
