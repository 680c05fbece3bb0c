using System.Globalization;
using System.Text;
using System.Text.Json;
using Benchmark.Phases;

namespace Benchmark.Report;

/// <summary>The benchmark's output: a text table per scenario for the terminal, and the same as markdown and JSON in the results files.</summary>
public static class ResultTable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static readonly string[] PhaseHeader = ["phase", "events", "seconds", "events/s", "ratio", "CPU s", "peak RSS"];
    private static readonly string[] ApiHeader = ["url (wrk, 64 connections)", "req/s", "p50 ms", "p99 ms", "non-2xx", "socket errors"];

    public static string ToText(ScenarioReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"== {report.Scenario}: {report.Chain}");
        text.Append(Align(PhaseHeader, report.Phases.Select(PhaseCells)));
        text.AppendLine(LiveLine(report.Live));
        if (report.Api.Count > 0)
        {
            text.Append(Align(ApiHeader, report.Api.Select(ApiCells)));
        }

        text.Append(ChecksText(report));
        return text.ToString();
    }

    public static string ToMarkdown(IReadOnlyList<ScenarioReport> reports, string machine)
    {
        var markdown = new StringBuilder();
        markdown.AppendLine($"Machine: {machine}").AppendLine();
        foreach (var report in reports)
        {
            markdown.AppendLine($"### {report.Scenario}").AppendLine().AppendLine(report.Chain).AppendLine();
            markdown.Append(Markdown(PhaseHeader, report.Phases.Select(PhaseCells))).AppendLine();
            markdown.AppendLine(LiveLine(report.Live)).AppendLine();
            if (report.Api.Count > 0)
            {
                markdown.Append(Markdown(ApiHeader, report.Api.Select(ApiCells))).AppendLine();
            }

            markdown.Append(ChecksText(report)).AppendLine();
        }

        return markdown.ToString();
    }

    public static string ToJson(IReadOnlyList<ScenarioReport> reports, string machine) =>
        JsonSerializer.Serialize(new { machine, scenarios = reports }, Json);

    private static string[] PhaseCells(PhaseRow row) =>
    [
        row.Phase,
        Number(row.Events),
        Fixed(row.Seconds, 2),
        Number((long)Math.Round(row.EventsPerSecond)),
        row.Ratio is { } ratio ? Fixed(ratio, 2) + "×" : "—",
        row.CpuSeconds is { } cpu ? Fixed(cpu, 1) : "—",
        row.PeakRssBytes is { } rss ? Number(rss / (1024 * 1024)) + " MB" : "—",
    ];

    private static string[] ApiCells(ApiLoad.UrlResult result) =>
    [
        result.Url,
        Number((long)Math.Round(result.RequestsPerSecond)),
        Fixed(result.P50Ms, 1),
        Fixed(result.P99Ms, 1),
        Number(result.Non2xx),
        Number(result.SocketErrors),
    ];

    private static string LiveLine(LiveLatency.Outcome? live) => live is null
        ? "live latency: not measured"
        : string.Create(CultureInfo.InvariantCulture,
            $"live latency over {live.Blocks} blocks (confirmed → visible through the API): p50 {live.P50Ms:F0} ms, p99 {live.P99Ms:F0} ms, max {live.MaxMs:F0} ms; target POLL_INTERVAL_MS + 200 = {LiveLatency.DefaultPollIntervalMs + 200} ms (default POLL_INTERVAL_MS)");

    private static string ChecksText(ScenarioReport report)
    {
        var text = new StringBuilder();
        foreach (var (database, differences) in report.Checks)
        {
            text.AppendLine(differences.Count == 0
                ? $"check {database}: matches the expected result"
                : $"check {database}: MISMATCH: {string.Join("; ", differences)}");
        }

        if (report.Failure is not null)
        {
            text.AppendLine($"FAILED: {report.Failure}");
        }

        return text.ToString();
    }

    private static string Align(string[] header, IEnumerable<string[]> rows)
    {
        var all = new[] { header }.Concat(rows).ToList();
        var widths = header.Select((_, column) => all.Max(row => row[column].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, column) => column == 0 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]))).TrimEnd());
        }

        return text.ToString();
    }

    private static string Markdown(string[] header, IEnumerable<string[]> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select((_, column) => column == 0 ? "---|" : "---:|")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        return text.ToString();
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Fixed(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
