namespace ServiceDefaults.Configuration;

/// <summary>
/// Secrets as containers and orchestrators pass them: <c>NAME_FILE</c> names a file holding NAME's value
/// (one trailing newline, as editors and <c>kubectl create secret</c> leave it, is not part of it).
/// </summary>
public static class SecretFiles
{
    /// <summary>The settings that may hold a password or an API key.</summary>
    public static readonly IReadOnlyList<string> SecretSettings = ["DATABASE_URL", "RPC_URL"];

    /// <summary>Puts each secret read from its file into the environment, where configuration binds it.</summary>
    /// <exception cref="ConfigurationException">Both forms are set, or the file cannot be read.</exception>
    public static void Resolve() => Resolve(SecretSettings);

    internal static void Resolve(IEnumerable<string> settings)
    {
        foreach (var name in settings)
        {
            var fileSetting = name + "_FILE";
            var path = Environment.GetEnvironmentVariable(fileSetting);
            if (string.IsNullOrEmpty(path))
            {
                continue;
            }

            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                throw new ConfigurationException($"{name} and {fileSetting} are both set: set only one of them");
            }

            Environment.SetEnvironmentVariable(name, Read(fileSetting, path));
        }
    }

    private static string Read(string fileSetting, string path)
    {
        try
        {
            var value = File.ReadAllText(path);
            return value.EndsWith("\r\n", StringComparison.Ordinal) ? value[..^2]
                : value.EndsWith('\n') ? value[..^1]
                : value;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException($"{fileSetting} names a file that cannot be read ({e.GetType().Name})");
        }
    }
}
