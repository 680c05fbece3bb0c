using ServiceDefaults.Configuration;
using Migrations.Schema;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.Startup;

/// <summary>
/// The API refuses to start on bad configuration or a schema that is behind: exit code, one line, no stack trace.
/// Configuration errors surface while <c>builder.Build()</c> runs (WebApplication resolves Kestrel's options, and
/// KestrelBinding reads ApiOptions.Value), which Program.cs calls before its try block: they must still exit 2.
/// </summary>
public sealed class StartupTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Start_UnmigratedDatabase_ExitsTwoWithOneLineAboutPendingMigrations()
    {
        var url = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();

        var (exitCode, lines) = await RunUntilExitAsync(ApiProcess.Environment(url, FreePort.Next()));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2), string.Join('\n', lines));
            Assert.That(lines, Has.Count.EqualTo(1), string.Join('\n', lines));
            Assert.That(lines[0], Does.Contain("migration(s) pending").And.Contain("0001_chain_event.sql"));
        });
    }

    [Test]
    public async Task Start_PartlyMigratedDatabase_ExitsTwoNamingOnlyTheMissingScript()
    {
        var url = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        new SchemaMigrator(DatabaseUrl.Parse(url)).Apply(TextWriter.Null);
        await using (var connection = new Npgsql.NpgsqlConnection(DatabaseUrl.Parse(url).ConnectionString))
        {
            await connection.OpenAsync();
            await using var forget = new Npgsql.NpgsqlCommand(
                $"DELETE FROM {SchemaMigrator.JournalTable} WHERE scriptname LIKE '%0004_reader_role.sql'", connection);
            Assert.That(await forget.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        var (exitCode, lines) = await RunUntilExitAsync(ApiProcess.Environment(url, FreePort.Next()));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2), string.Join('\n', lines));
            Assert.That(lines, Has.Count.EqualTo(1), string.Join('\n', lines));
            Assert.That(lines[0], Does.Contain("1 migration(s) pending").And.Contain("0004_reader_role.sql").And.Not.Contain("0001"));
        });
    }

    [TestCase("nonsense")]
    [TestCase("")]
    [TestCase("mysql://admin:Hunter2-Secret@localhost/db")]
    [TestCase("postgresql://admin:Hunter2-Secret@localhost/")]
    public async Task Start_BadDatabaseUrl_ExitsTwoWithOneLineNamingDatabaseUrl(string databaseUrl)
    {
        var (exitCode, lines) = await RunUntilExitAsync(ApiProcess.Environment(databaseUrl, FreePort.Next()));

        AssertConfigurationError(exitCode, lines, "DATABASE_URL");
        Assert.That(string.Join('\n', lines), Does.Not.Contain("Hunter2-Secret"));
    }

    [Test]
    public async Task Start_DatabaseUrlUnset_ExitsTwoNamingDatabaseUrl()
    {
        var environment = ApiProcess.Environment("unused", FreePort.Next());
        environment.Remove("DATABASE_URL");

        var (exitCode, lines) = await RunUntilExitAsync(environment);

        AssertConfigurationError(exitCode, lines, "DATABASE_URL");
    }

    [TestCase("PORT", "abc")]
    [TestCase("PORT", "0")]
    [TestCase("PORT", "70000")]
    [TestCase("HOST", "not-an-address")]
    [TestCase("DB_POOL_SIZE", "many")]
    [TestCase("DB_COMMAND_TIMEOUT_S", "0")]
    [TestCase("CACHE_SIZE_MB", "-1")]
    [TestCase("CACHE_MAX_STALENESS_MS", "60001")]
    [TestCase("CORS_ORIGINS", "app.example.com")]
    [TestCase("CORS_ORIGINS", "ftp://app.example.com")]
    [TestCase("CORS_ORIGINS", "https://app.example.com/")]
    [TestCase("CORS_ORIGINS", "https://app.example.com/path")]
    [TestCase("CORS_ORIGINS", "https://*.example.com")]
    [TestCase("CORS_ORIGINS", "*,https://app.example.com")]
    [TestCase("CORS_ORIGINS", "https://a.example.com,,https://b.example.com")]
    [TestCase("CORS_ORIGINS", "https://user:Hunter2-Secret@app.example.com")]
    [TestCase("RATE_LIMIT_PER_MINUTE", "-1")]
    [TestCase("RATE_LIMIT_PER_MINUTE", "lots")]
    [TestCase("RATE_LIMIT_PER_MINUTE", "1000001")]
    [TestCase("TRUSTED_PROXIES", "proxy.internal")]
    [TestCase("TRUSTED_PROXIES", "10.0.0.1/33")]
    [TestCase("TRUSTED_PROXIES", "10.0.0.5/8")]
    [TestCase("TRUSTED_PROXIES", "10.1")]
    [TestCase("TRUSTED_PROXIES", "10.0.0.1,,10.0.0.2")]
    [TestCase("STREAM_MAX_CLIENTS", "0")]
    [TestCase("STREAM_MAX_CLIENTS", "lots")]
    [TestCase("STREAM_RESUME_WINDOW_BLOCKS", "-1")]
    [TestCase("STREAM_POLL_INTERVAL_MS", "5")]
    [TestCase("STREAM_KEEP_ALIVE_MS", "0")]
    [TestCase("STREAM_QUEUE_BATCHES", "0")]
    [TestCase("EXPLORER_URL", "explorer.cronos.org/testnet")]
    [TestCase("EXPLORER_URL", "javascript:alert(1)")]
    [TestCase("EXPLORER_URL", "https://explorer.cronos.org/testnet?tab=tx")]
    [TestCase("LOG_FORMAT", "xml")]
    [TestCase("DATABASE_URL_FILE", "/nonexistent/x402/database-url")]
    public async Task Start_BadSetting_ExitsTwoWithOneLineNamingIt(string variable, string value)
    {
        var environment = ApiProcess.Environment(await SeededApi.ApiRoleUrlAsync(), FreePort.Next());
        environment[variable] = value;

        var (exitCode, lines) = await RunUntilExitAsync(environment);

        AssertConfigurationError(exitCode, lines, variable);
        Assert.That(string.Join('\n', lines), Does.Not.Contain("Hunter2-Secret"));
    }

    [TestCase("CORS_ORIGINS", "*")]
    [TestCase("CORS_ORIGINS", " https://App.Example.com , http://localhost:5173,http://[::1]:8080 ")]
    [TestCase("RATE_LIMIT_PER_MINUTE", "1000000")]
    [TestCase("TRUSTED_PROXIES", "10.0.0.5, 10.0.0.0/8, fd00::/8, ::1")]
    public async Task Start_GoodSetting_Answers(string variable, string value)
    {
        await using var api = await ApiProcess.StartAsync(await SeededApi.ApiRoleUrlAsync(), new Dictionary<string, string> { [variable] = value });

        Assert.That((await api.GetAsync("/stats")).Status, Is.EqualTo(System.Net.HttpStatusCode.OK));
    }

    [Test]
    public async Task Start_DatabaseUrlFromAFileWithATrailingNewline_IsReady()
    {
        using var file = await TempFile.WriteAsync("x402-secret-", "database-url", await SeededApi.ApiRoleUrlAsync() + "\n");

        await using var api = await ApiProcess.StartAsync(
            "unused", new Dictionary<string, string> { ["DATABASE_URL_FILE"] = file.Path }, unset: ["DATABASE_URL"]);

        Assert.That((await api.GetAsync("/health/ready")).Status, Is.EqualTo(System.Net.HttpStatusCode.OK), api.Output);
    }

    [Test]
    public async Task Start_DatabaseUrlAndItsFileBothSet_ExitsTwoNamingBothWithoutThePassword()
    {
        using var file = await TempFile.WriteAsync("x402-secret-", "database-url", "postgresql://u:Hunter2-Secret@127.0.0.1:5432/db\n");
        var environment = ApiProcess.Environment("postgresql://u:Hunter2-Secret@127.0.0.1:5432/db", FreePort.Next());
        environment["DATABASE_URL_FILE"] = file.Path;

        var (exitCode, lines) = await RunUntilExitAsync(environment);

        AssertConfigurationError(exitCode, lines, "DATABASE_URL_FILE");
        Assert.That(string.Join('\n', lines), Does.Contain("DATABASE_URL and DATABASE_URL_FILE").And.Not.Contain("Hunter2-Secret"));
    }

    [Test]
    public async Task Start_DatabaseUnreachable_ExitsOneWithOneLineWithoutThePassword()
    {
        var url = $"postgresql://u:Hunter2-Secret@127.0.0.1:{FreePort.Next()}/db?timeout=3";

        var (exitCode, lines) = await RunUntilExitAsync(ApiProcess.Environment(url, FreePort.Next()));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), string.Join('\n', lines));
            Assert.That(lines, Has.Count.EqualTo(1), string.Join('\n', lines));
            Assert.That(lines[0], Does.Contain("DATABASE_URL").And.Not.Contain("Hunter2-Secret"));
        });
    }

    private static void AssertConfigurationError(int exitCode, IReadOnlyList<string> lines, string variable)
    {
        var output = string.Join('\n', lines);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2), output);
            Assert.That(lines, Has.Count.EqualTo(1), output);
            Assert.That(output, Does.StartWith("Configuration error: ").And.Contain(variable));
            Assert.That(output, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack trace");
        });
    }

    [Test]
    public async Task Start_PortTakenByAnotherProcess_ExitsTwoWithOneLineNamingPort()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;

        var (exitCode, lines) = await RunUntilExitAsync(ApiProcess.Environment(await SeededApi.ApiRoleUrlAsync(), port));

        AssertConfigurationError(exitCode, lines, "PORT");
        Assert.That(string.Join('\n', lines), Does.Contain("in use"));
    }

    private static async Task<(int ExitCode, IReadOnlyList<string> Lines)> RunUntilExitAsync(Dictionary<string, string> environment)
    {
        await using var process = ChildProcess.StartDotnet(RepoLayout.BuiltDll("Query.Api"), [], environment);
        var exitCode = await process.WaitForExitAsync(ExitTimeout);
        var lines = process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (exitCode, lines);
    }
}
