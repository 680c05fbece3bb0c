using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.OpenApi;

/// <summary>
/// A TypeScript client from the document the running API serves: openapi-typescript writes its types, and
/// tsc --noEmit --strict checks the typed usage file of typescript/ against them (it must compile) and a
/// deliberately wrong one (it must not). Both tools come from deploy/package-lock.json (deploy/setup.sh).
/// </summary>
public sealed class TypeScriptClientTests
{
    private const string GeneratedTypes = "api.d.ts";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(2);
    private static readonly string NodeModules = Path.Combine(RepoLayout.Root, "deploy", "node_modules");
    private static readonly string UsageFolder = Path.Combine(RepoLayout.Root, "tests", "Query.Api.Tests", "OpenApi", "typescript");

    private static readonly string[] CompilerOptions =
        ["--noEmit", "--strict", "--target", "ES2022", "--module", "ESNext", "--moduleResolution", "Bundler", "--lib", "ES2022,DOM"];

    private string _workFolder = "";

    [OneTimeSetUp]
    public async Task GenerateTheClientFromTheRunningApi()
    {
        _workFolder = Directory.CreateTempSubdirectory("x402-openapi-ts-").FullName;
        var document = await ApiDocument.FetchAsync(await SeededApi.GetAsync());
        await File.WriteAllTextAsync(Path.Combine(_workFolder, "openapi.json"), document.Text);
        foreach (var usage in Directory.GetFiles(UsageFolder, "*.ts"))
        {
            File.Copy(usage, Path.Combine(_workFolder, Path.GetFileName(usage)));
        }

        var (exitCode, output) = await RunNodeAsync(Tool("openapi-typescript", "bin", "cli.js"), "openapi.json", "--output", GeneratedTypes);
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_workFolder, GeneratedTypes)), Does.Contain("export interface paths"));
    }

    [OneTimeTearDown]
    public void RemoveTheWorkFolder() => Directory.Delete(_workFolder, recursive: true);

    [Test]
    public async Task TheUsageFileTypeChecksAgainstTheGeneratedClient()
    {
        var (exitCode, output) = await TypeCheckAsync("usage.ts");

        Assert.That(exitCode, Is.Zero, output);
    }

    [Test]
    public async Task AMisspeltPropertyDoesNotTypeCheck()
    {
        var (exitCode, output) = await TypeCheckAsync("wrong-property.ts");

        Assert.That(exitCode, Is.Not.Zero, "tsc accepted wrong-property.ts");
        Assert.That(output, Does.Contain("wrong-property.ts").And.Contain("Property 'workflowID' does not exist"), "it fails for the misspelt property, not for something else");
    }

    private Task<(int ExitCode, string Output)> TypeCheckAsync(string file) =>
        RunNodeAsync(Tool("typescript", "bin", "tsc"), [.. CompilerOptions, file]);

    private static string Tool(params string[] pathInNodeModules)
    {
        var path = Path.Combine([NodeModules, .. pathInNodeModules]);
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: install deploy/package.json's packages (bash deploy/setup.sh, or npm ci --prefix deploy).");
        }

        return path;
    }

    private async Task<(int ExitCode, string Output)> RunNodeAsync(string script, params string[] arguments)
    {
        await using var node = ChildProcess.Start("node", [script, .. arguments], workingDirectory: _workFolder);
        var exitCode = await node.WaitForExitAsync(ToolTimeout);
        return (exitCode, node.Output);
    }
}
