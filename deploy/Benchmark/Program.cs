using Benchmark;
using Benchmark.Report;

// The benchmark command; deploy/bench.sh runs it with a private PostgreSQL cluster. See README "Benchmark".
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (BenchmarkUsageException error)
{
    Console.Error.WriteLine($"benchmark: {error.Message}\n{BenchmarkOptions.Usage}");
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    cancellation.Cancel();
};

var machine = await MachineInfo.DescribeAsync(options.AdminDatabaseUrl, cancellation.Token);
Console.Error.WriteLine($"benchmark on {machine}");
var reports = new List<ScenarioReport>();
foreach (var scenario in options.Scenarios)
{
    var report = await ScenarioRun.RunAsync(scenario, options, Console.Error, cancellation.Token);
    reports.Add(report);
    Console.WriteLine();
    Console.Write(ResultTable.ToText(report));
}

var resultsDirectory = Path.GetDirectoryName(Path.GetFullPath(options.ResultsPath))!;
Directory.CreateDirectory(resultsDirectory);
await File.WriteAllTextAsync(options.ResultsPath + ".md", ResultTable.ToMarkdown(reports, machine));
await File.WriteAllTextAsync(options.ResultsPath + ".json", ResultTable.ToJson(reports, machine));
Console.WriteLine();
Console.WriteLine($"results: {options.ResultsPath}.md, {options.ResultsPath}.json");
var succeeded = reports.All(report => report.Succeeded);
Console.WriteLine(succeeded ? "benchmark: every scenario ran and matched the expected result" : "benchmark: FAILED (see above)");
return succeeded ? 0 : 1;
