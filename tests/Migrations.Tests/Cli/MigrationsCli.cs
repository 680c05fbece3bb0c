using TestSupport;

namespace Migrations.Tests.Cli;

/// <summary>Runs the built Migrations program as a real process, in an empty working directory (so no stray .env is read).</summary>
internal static class MigrationsCli
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("x402-migrations-cli-").FullName;
        try
        {
            await using var process = ChildProcess.Start(
                DotnetHost(), [RepoLayout.BuiltDll("Migrations"), .. arguments], environment, workingDirectory: workingDirectory);
            var exitCode = await process.WaitForExitAsync(Timeout);
            return (exitCode, process.Output);
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    public static Dictionary<string, string> WithDatabase(string databaseUrl) => new() { ["DATABASE_URL"] = databaseUrl };

    // As ChildProcess.StartDotnet: the SDK exports DOTNET_HOST_PATH to dotnet test; PATH is the fallback.
    private static string DotnetHost()
    {
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return string.IsNullOrEmpty(hostPath) ? "dotnet" : hostPath;
    }
}
