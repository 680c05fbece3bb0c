using System.Globalization;
using System.Text;

namespace Chaos;

/// <summary>What a chaos run did and whether the worker came out of it with exactly the canonical chain.</summary>
public sealed record ChaosReport(
    TimeSpan Elapsed,
    int Iterations,
    int Kills,
    int UnexpectedExits,
    IReadOnlyList<int> ReorgDepths,
    IReadOnlyDictionary<string, int> RpcFaults,
    int DatabaseRestarts,
    long EventsExpected,
    long EventsStored,
    bool EventLogsEqual,
    bool ProjectionsEqual,
    string? StoredEventLogHash,
    string? ExpectedEventLogHash,
    string? StoredProjectionHash,
    string? ExpectedProjectionHash)
{
    public bool HashesEqual =>
        StoredEventLogHash is not null && StoredEventLogHash == ExpectedEventLogHash && StoredProjectionHash == ExpectedProjectionHash;

    public bool Held => UnexpectedExits == 0 && EventLogsEqual && ProjectionsEqual && HashesEqual && EventsStored == EventsExpected;

    public string ToTable()
    {
        var table = new StringBuilder();
        void Row(string what, object value) => table.AppendLine(CultureInfo.InvariantCulture, $"{what,-28} {value}");
        Row("duration", $"{Elapsed.TotalSeconds:F0} s, {Iterations} iterations");
        Row("worker kills (SIGKILL)", Kills);
        Row("workers that exited alone", UnexpectedExits == 0 ? "0" : $"{UnexpectedExits} (FAILED)");
        Row("reorgs repaired", ReorgDepths.Count == 0 ? "0" : $"{ReorgDepths.Count} (depths {string.Join(", ", ReorgDepths)})");
        Row("RPC faults injected", RpcFaults.Values.Sum());
        foreach (var (kind, count) in RpcFaults.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Row($"  {kind}", count);
        }

        Row("database restarts", DatabaseRestarts);
        Row("events expected / stored", $"{EventsExpected} / {EventsStored}");
        Row("event log equal", EventLogsEqual ? "yes" : "NO");
        Row("projection equal", ProjectionsEqual ? "yes" : "NO");
        Row("hashes equal", HashesEqual ? $"yes ({StoredEventLogHash?[..18]}…, {StoredProjectionHash?[..18]}…)" : "NO");
        return table.ToString();
    }
}
