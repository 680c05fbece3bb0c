using ServiceDefaults.Configuration;
using Migrations.Schema;
using TestSupport;

namespace Query.Api.Tests.Support;

/// <summary>
/// One seeded database and one API process for the whole run (started on first use, stopped by the
/// [SetUpFixture]). The API logs in as x402_api, a member of x402_reader: SELECT only, as in production.
/// Tests only read through it; tests that need another database or stop the server start their own.
/// </summary>
internal static class SeededApi
{
    public const string ApiRole = "x402_api";

    // Roles are server-wide: one password for the whole run, so a second seeded database never locks out the first API.
    private static readonly string ApiRolePassword = "api-" + Guid.NewGuid().ToString("N");

    private static readonly Lazy<Task<Instance>> Shared = new(StartAsync);

    public static async Task<ApiProcess> GetAsync() => (await Shared.Value).Api;

    /// <summary>The seeded database, with the server admin's credentials.</summary>
    public static async Task<string> AdminUrlAsync() => (await Shared.Value).AdminUrl;

    /// <summary>The seeded database, logging in as x402_api.</summary>
    public static async Task<string> ApiRoleUrlAsync() => (await Shared.Value).ApiRoleUrl;

    public static async Task DisposeAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            await Shared.Value.Result.Api.DisposeAsync();
        }
    }

    /// <summary>A fresh database on <paramref name="server"/>, migrated, seeded, with a x402_api login; returns (admin URL, x402_api URL).</summary>
    public static Task<(string AdminUrl, string ApiRoleUrl)> CreateSeededDatabaseAsync(PostgresServer server) =>
        CreateDatabaseAsync(server, Seed.WriteAsync);

    /// <summary>As <see cref="CreateSeededDatabaseAsync"/>, with the history <paramref name="seed"/> writes (given the admin URL).</summary>
    public static async Task<(string AdminUrl, string ApiRoleUrl)> CreateDatabaseAsync(PostgresServer server, Func<string, Task> seed)
    {
        var (adminUrl, apiRoleUrl) = await CreateMigratedDatabaseAsync(server);
        await seed(adminUrl);
        return (adminUrl, apiRoleUrl);
    }

    /// <summary>A fresh, empty database on <paramref name="server"/>, migrated, with a x402_api login; returns (admin URL, x402_api URL).</summary>
    public static async Task<(string AdminUrl, string ApiRoleUrl)> CreateMigratedDatabaseAsync(PostgresServer server)
    {
        var adminUrl = await server.CreateDatabaseAsync();
        var migration = new SchemaMigrator(DatabaseUrl.Parse(adminUrl)).Apply(TextWriter.Null);
        if (!migration.Successful)
        {
            throw new InvalidOperationException($"Migrations failed: {migration.Error}");
        }

        return (adminUrl, await server.CreateLoginRoleAsync(ApiRole, ApiRolePassword, adminUrl, "x402_reader"));
    }

    private static async Task<Instance> StartAsync()
    {
        var server = await SharedPostgres.GetAsync();
        var (adminUrl, apiRoleUrl) = await CreateSeededDatabaseAsync(server);
        return new Instance(adminUrl, apiRoleUrl, await ApiProcess.StartAsync(apiRoleUrl));
    }

    private sealed record Instance(string AdminUrl, string ApiRoleUrl, ApiProcess Api);
}
