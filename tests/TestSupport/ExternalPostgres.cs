namespace TestSupport;

/// <summary>A server given by TEST_DATABASE_URL: used as is, never stopped, since this test run does not own it.</summary>
internal sealed class ExternalPostgres(string adminUrl) : IPostgresBackend
{
    public string AdminUrl { get; } = adminUrl;

    public string Description => "the server of TEST_DATABASE_URL";

    public bool IsShared => true;

    public Task StopAsync() => throw NotOwned();

    public Task StartAgainAsync() => throw NotOwned();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static NotSupportedException NotOwned() => new(
        "Cannot stop or restart the server of TEST_DATABASE_URL: this test run does not own it. " +
        "Unset TEST_DATABASE_URL to run such tests on a private cluster or a container.");
}
