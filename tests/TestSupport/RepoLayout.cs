namespace TestSupport;

/// <summary>Where things live in the repository, seen from a built test assembly.</summary>
public static class RepoLayout
{
    private const string SolutionFile = "X402.sln";
    private const string TargetFramework = "net10.0";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Lazy<string> LazyConfiguration = new(DetectConfiguration);

    /// <summary>The folder holding X402.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The build configuration (Debug, Release) the running tests were built with.</summary>
    public static string Configuration => LazyConfiguration.Value;

    /// <summary>The anvil binary: ANVIL_PATH when set, else the one installed by deploy/setup.sh.</summary>
    public static string AnvilPath
    {
        get
        {
            var overridePath = Environment.GetEnvironmentVariable("ANVIL_PATH");
            if (!string.IsNullOrWhiteSpace(overridePath))
            {
                return overridePath;
            }

            return Path.Combine(Root, "deploy", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
        }
    }

    /// <summary>The built dll of a top-level project, e.g. BuiltDll("Indexer.Worker").</summary>
    public static string BuiltDll(string projectName)
    {
        var path = Path.Combine(Root, projectName, "bin", Configuration, TargetFramework, projectName + ".dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{path} does not exist: build it first (dotnet build {SolutionFile} -c {Configuration}).", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds {SolutionFile}.");
    }

    // Test assemblies run from <project>/bin/<Configuration>/<tfm>/, so the segment after "bin" names it.
    private static string DetectConfiguration()
    {
        var segments = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var binIndex = Array.LastIndexOf(segments, "bin");
        if (binIndex < 0 || binIndex + 1 >= segments.Length)
        {
            throw new InvalidOperationException(
                $"Cannot tell the build configuration from {AppContext.BaseDirectory}: expected .../bin/<Configuration>/{TargetFramework}/.");
        }

        return segments[binIndex + 1];
    }
}
