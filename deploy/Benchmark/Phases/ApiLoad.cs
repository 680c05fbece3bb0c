using System.Globalization;
using System.Text.Json;
using Benchmark.Database;
using TestSupport;

namespace Benchmark.Phases;

/// <summary>
/// The API under load: wrk, 2 threads and 64 connections, against Query.Api on the indexed database:
/// the first page, a page near the end, random ids (a Lua script picks from ids read from the database), /stats and /status,
/// each after an unmeasured warm-up.
/// </summary>
public static class ApiLoad
{
    public const int Connections = 64;
    private const int Threads = 2;
    // Long enough for the API's hot code to reach its final tier while wrk keeps both cores busy: under random
    // /workflows/{id} on the 1M-event database, the API's CPU per request fell from ~100 us in its first 2 s
    // to ~45 us from the 7th second on (2-second wrk slices, counted from /proc); with 3 s, the measured run
    // still held the end of that climb.
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    private const string WorkflowCountSql = "SELECT count(*) FROM workflow_state";
    // Every workflow: a sample small enough for the answer cache to hold would measure the cache, not the database.
    private const string RandomIdsSql = "SELECT workflow_id FROM workflow_state";

    // wrk calls done() once with the totals; latencies are in microseconds.
    private const string ReportLua = """
        done = function(summary, latency, requests)
          local errors = summary.errors
          io.write(string.format(
            '\n{"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"non2xx":%d,"socketErrors":%d}\n',
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
            errors.status, errors.connect + errors.read + errors.write + errors.timeout))
        end
        """;

    // Each thread reads the ids file given after "--" and asks for a random one per request, in an order set by the seed
    // that follows the file and by the thread's number: the warm-up's ids are not the measured run's, whose answers the
    // cache would otherwise hold, and the two threads do not ask for the same ids at the same moments (one seed for both
    // made every id come twice, as one read shared by both or as a second read the cache keeps). The request is the
    // id between the two halves of one wrk.format answer: wrk.format per request took wrk 20-22 % of the two cores
    // on the 1M database against 16-19 % (perf, whole machine), CPU the API and PostgreSQL then lacked. Formatting
    // every request in init instead took 1.2 s a thread, while wrk's first thread was already running: its clock
    // starts after the last init, so that run counted requests it did not time.
    private const string RandomIdsLua = """
        local threads = 0
        setup = function(thread)
          threads = threads + 1
          thread:set("thread_number", threads)
        end
        local ids = {}
        local before_id, after_id
        init = function(args)
          for line in io.lines(args[1]) do ids[#ids + 1] = line end
          local template = wrk.format("GET", "/workflows/{id}")
          local at = template:find("{id}", 1, true)
          before_id, after_id = template:sub(1, at - 1), template:sub(at + 4)
          math.randomseed(tonumber(args[2]) * 1000 + thread_number)
        end
        request = function()
          return before_id .. ids[math.random(#ids)] .. after_id
        end
        """;

    public sealed record UrlResult(string Url, double RequestsPerSecond, double P50Ms, double P99Ms, long Non2xx, long SocketErrors);

    public static async Task<IReadOnlyList<UrlResult>> RunAsync(
        string apiBaseUrl, BenchDatabase database, TimeSpan duration, string workDirectory, CancellationToken cancellationToken)
    {
        var workflows = await database.ScalarAsync<long>(WorkflowCountSql, cancellationToken);
        var idsFile = Path.Combine(workDirectory, "wrk-ids.txt");
        await File.WriteAllLinesAsync(idsFile, await RandomIdsAsync(database, cancellationToken), cancellationToken);
        var reportScript = Path.Combine(workDirectory, "wrk-report.lua");
        var idsScript = Path.Combine(workDirectory, "wrk-ids.lua");
        await File.WriteAllTextAsync(reportScript, ReportLua, cancellationToken);
        await File.WriteAllTextAsync(idsScript, RandomIdsLua + "\n" + ReportLua, cancellationToken);

        var deepOffset = Math.Max(0, workflows - 100);
        var results = new List<UrlResult>
        {
            await LoadAsync("/workflows?limit=100", reportScript),
            await LoadAsync(string.Create(CultureInfo.InvariantCulture, $"/workflows?limit=100&offset={deepOffset}"), reportScript),
            await LoadAsync("/workflows/{random id}", idsScript, idsFile),
            await LoadAsync("/stats", reportScript),
            await LoadAsync("/status", reportScript),
        };
        return results;

        async Task<UrlResult> LoadAsync(string url, string script, params string[] scriptArguments)
        {
            // Unmeasured first, as a running service would be: the API's tiered JIT, connection pool and prepared statements warm up.
            await WrkAsync(url, script, [.. scriptArguments, "7"], duration < WarmUp ? duration : WarmUp);
            using var json = JsonDocument.Parse(await WrkAsync(url, script, [.. scriptArguments, "402"], duration));
            var root = json.RootElement;
            long Value(string name) => root.GetProperty(name).GetInt64();
            return new UrlResult(
                url,
                Value("requests") / (Value("durationUs") / 1e6),
                Value("p50Us") / 1000.0,
                Value("p99Us") / 1000.0,
                Value("non2xx"),
                Value("socketErrors"));
        }

        // The JSON line the report script prints.
        async Task<string> WrkAsync(string url, string script, string[] scriptArguments, TimeSpan runFor)
        {
            var path = url.Contains('{', StringComparison.Ordinal) ? "/" : url;
            string[] arguments =
            [
                "-t", Threads.ToString(CultureInfo.InvariantCulture),
                "-c", Connections.ToString(CultureInfo.InvariantCulture),
                "-d", string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)runFor.TotalSeconds)}s"),
                "-s", script, apiBaseUrl.TrimEnd('/') + path,
                "--", .. scriptArguments,
            ];
            await using var wrk = ChildProcess.Start(WrkBinary(), arguments);
            var exit = await wrk.WaitForExitAsync(runFor + TimeSpan.FromMinutes(1)).WaitAsync(cancellationToken);
            var report = wrk.Output.Split('\n').LastOrDefault(line => line.StartsWith("{\"requests\"", StringComparison.Ordinal));
            return exit == 0 && report is not null
                ? report
                : throw new BenchmarkPhaseException($"wrk failed on {url} (exit {exit}):\n{wrk.Output}");
        }
    }

    private static async Task<List<string>> RandomIdsAsync(BenchDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(RandomIdsSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static string WrkBinary() =>
        new[] { "/usr/bin/wrk", "/usr/local/bin/wrk" }.FirstOrDefault(File.Exists)
        ?? throw new BenchmarkPhaseException("wrk is not installed: apt-get install -y wrk (deploy/setup.sh installs it).");
}
