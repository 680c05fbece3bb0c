namespace TestSupport;

internal static class PostgresSettings
{
    /// <summary>
    /// Durability off for speed (a crashed test server is thrown away anyway), and room for the
    /// connection pools of many test processes at once.
    /// </summary>
    public static readonly string[] ForTests =
    [
        "fsync=off",
        "synchronous_commit=off",
        "full_page_writes=off",
        "max_connections=200",
    ];
}
