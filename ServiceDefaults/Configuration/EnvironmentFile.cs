namespace ServiceDefaults.Configuration;

/// <summary>
/// Loads a <c>.env</c> file into the process environment with DotNetEnv. Variables already set in the
/// environment win, so a deployment's real environment is never overridden.
/// </summary>
public static class EnvironmentFile
{
    /// <exception cref="ConfigurationException">A line of the file is not KEY=VALUE.</exception>
    public static void LoadIfPresent(string path = ".env")
    {
        try
        {
            DotNetEnv.Env.NoClobber().Load(path);
        }
        catch (Sprache.ParseException e)
        {
            // The parser's own message quotes the text around the fault, which may be a password.
            throw new ConfigurationException($"{Path.GetFileName(path)} has a line that is not KEY=VALUE (line {e.Position?.Line})");
        }
    }
}
