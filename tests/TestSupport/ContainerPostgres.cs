using System.ComponentModel;
using Testcontainers.PostgreSql;

namespace TestSupport;

/// <summary>PostgreSQL in a Docker container (Testcontainers), for machines where a Docker engine runs.</summary>
internal sealed class ContainerPostgres : IPostgresBackend
{
    private const string Image = "postgres:15-alpine";
    private static readonly TimeSpan DockerProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly PostgreSqlContainer _container;

    private ContainerPostgres(PostgreSqlContainer container, string adminUrl)
    {
        _container = container;
        AdminUrl = adminUrl;
    }

    public string AdminUrl { get; }

    public string Description => $"a {Image} container (Testcontainers)";

    public bool IsShared => false;

    /// <summary>True when a Docker engine answers; a docker client alone (as on our CI machines) is not enough.</summary>
    public static async Task<bool> DockerAnswersAsync()
    {
        try
        {
            await using var docker = ChildProcess.Start("docker", ["info", "--format", "{{.ServerVersion}}"], inheritEnvironment: true);
            return await docker.WaitForExitAsync(DockerProbeTimeout) == 0;
        }
        catch (Win32Exception)
        {
            return false; // no docker client installed
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public static async Task<ContainerPostgres> StartAsync()
    {
        // A fixed host port, so that the URL stays valid across StopAsync/StartAgainAsync.
        var port = FreePort.Next();
        var password = Secrets.NewPassword();
        var container = new PostgreSqlBuilder(Image)
            .WithUsername("postgres")
            .WithPassword(password)
            .WithDatabase("postgres")
            .WithPortBinding(port, PostgreSqlBuilder.PostgreSqlPort)
            .WithCommand(PostgresSettings.ForTests.SelectMany(setting => new[] { "-c", setting }).ToArray())
            .Build();
        await container.StartAsync();
        return new ContainerPostgres(container, new PostgresUrl("postgres", password, container.Hostname, port, "postgres").ToString());
    }

    public Task StopAsync() => _container.StopAsync();

    public Task StartAgainAsync() => _container.StartAsync();

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}
