using Benchmark.Scenarios;

namespace Benchmark;

/// <summary>The command line, parsed.</summary>
/// <param name="AdminDatabaseUrl">A PostgreSQL role that may create databases (and the reader role); the benchmark makes its own databases.</param>
/// <param name="ResultsPath">Where the results go, as PATH.md and PATH.json.</param>
/// <param name="CacheDirectory">Built chains are kept here (anvil state and expected result) and reused; null builds every time.</param>
/// <param name="PublishedDirectory">The worker and the API as published (DIR/Indexer.Worker, DIR/Query.Api); null runs the Release builds.</param>
public sealed record BenchmarkOptions(
    IReadOnlyList<Scenario> Scenarios,
    string AdminDatabaseUrl,
    string ResultsPath,
    string? CacheDirectory,
    string? PublishedDirectory)
{
    public const string Usage =
        "usage: Benchmark --database-url postgresql://ADMIN@HOST:PORT/postgres [--scenario NAME]... [--results PATH] [--cache-dir DIR] [--published DIR]\n" +
        "scenarios: tiny, dense-100k, dense-1m, sparse, sparse-200k (default dense-100k)";

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var scenarios = new List<Scenario>();
        string? databaseUrl = null;
        var results = "bench-results";
        string? cache = null;
        string? published = null;
        for (var index = 0; index < args.Count; index++)
        {
            var name = args[index];
            string Value() => index + 1 < args.Count ? args[++index] : throw new BenchmarkUsageException($"{name} needs a value");
            switch (name)
            {
                case "--scenario":
                    var scenarioName = Value();
                    scenarios.Add(Scenario.Named(scenarioName) ?? throw new BenchmarkUsageException($"unknown scenario '{scenarioName}'"));
                    break;
                case "--database-url":
                    databaseUrl = Value();
                    break;
                case "--results":
                    results = Value();
                    break;
                case "--cache-dir":
                    cache = Value();
                    break;
                case "--published":
                    published = Value();
                    break;
                default:
                    throw new BenchmarkUsageException($"unknown argument '{name}'");
            }
        }

        return new BenchmarkOptions(
            scenarios.Count > 0 ? scenarios : [Scenario.Named("dense-100k")!],
            databaseUrl ?? throw new BenchmarkUsageException("--database-url is required"),
            results,
            cache,
            published);
    }
}

public sealed class BenchmarkUsageException(string message) : Exception(message);

/// <summary>A phase that could not complete (a process died, a hang guard fired); the run fails.</summary>
public sealed class BenchmarkPhaseException(string message) : Exception(message);
