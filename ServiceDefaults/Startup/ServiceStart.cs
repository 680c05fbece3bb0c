using Microsoft.Extensions.Options;
using Npgsql;
using ServiceDefaults.Configuration;

namespace ServiceDefaults.Startup;

/// <summary>
/// How every process starts: the environment is prepared (<c>.env</c>, then secrets from files), and a
/// start-up failure becomes one plain line on stderr and an exit code, never a stack trace or a secret.
/// </summary>
public static class ServiceStart
{
    public const int ConfigurationExitCode = 2;
    public const int DatabaseExitCode = 1;

    public static async Task<int> RunAsync(Func<Task<int>> program)
    {
        try
        {
            EnvironmentFile.LoadIfPresent();
            SecretFiles.Resolve();
            return await program();
        }
        catch (Exception e) when (Describe(e) is { } failure)
        {
            await Console.Error.WriteLineAsync(failure.Line);
            return failure.ExitCode;
        }
    }

    private static (string Line, int ExitCode)? Describe(Exception e) => e switch
    {
        ConfigurationException => ($"Configuration error: {e.Message.TrimEnd('.')}", ConfigurationExitCode),
        OptionsValidationException invalid => ($"Configuration error: {string.Join("; ", invalid.Failures)}", ConfigurationExitCode),
        InvalidOperationException when e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            ($"Configuration error: {ConfigurationErrors.Describe((InvalidOperationException)e)}", ConfigurationExitCode),
        StartupRefusedException => (e.Message, ConfigurationExitCode),
        NpgsqlException => ($"Cannot use the database at DATABASE_URL: {e.Message}", DatabaseExitCode),
        _ => null,
    };
}
