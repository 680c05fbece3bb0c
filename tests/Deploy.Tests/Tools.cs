using TestSupport;

namespace Deploy.Tests;

/// <summary>Runs the validators the deploy artifacts are checked with, as real processes.</summary>
internal static class Tools
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string Deploy(params string[] path) => Path.Combine([RepoLayout.Root, "deploy", .. path]);

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        await using var process = ChildProcess.Start(fileName, arguments, inheritEnvironment: true, workingDirectory: workingDirectory);
        var exitCode = await process.WaitForExitAsync(Timeout);
        return (exitCode, process.Output);
    }

    /// <summary>`kubectl kustomize deploy/k8s`, optionally changed, piped into deploy/k8s/validate.mjs.</summary>
    public static async Task<(int ExitCode, string Output)> ValidateManifestsAsync(Func<string, string>? change = null)
    {
        var (built, manifests) = await RunAsync("kubectl", ["kustomize", Deploy("k8s")]);
        if (built != 0)
        {
            return (built, manifests);
        }

        using var file = await TempFile.WriteAsync("x402-k8s-", "manifests.yaml", change is null ? manifests : change(manifests));
        return await RunAsync("bash", ["-c", "node k8s/validate.mjs < \"$0\"", file.Path], workingDirectory: Deploy());
    }
}
