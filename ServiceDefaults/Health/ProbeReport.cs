using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServiceDefaults.Health;

[Description("The answer of a probe: its overall status and the status of each check it ran.")]
public sealed record ProbeReport(
    [property: Description("healthy or degraded (answered 200), unhealthy (answered 503)."), AllowedValues("healthy", "degraded", "unhealthy")] string Status,
    [property: Description("Each check by name.")] IReadOnlyDictionary<string, ProbeCheck> Checks)
{
    public static ProbeReport From(HealthReport report) => new(
        Word(report.Status),
        report.Entries.ToDictionary(entry => entry.Key, entry => new ProbeCheck(Word(entry.Value.Status), entry.Value.Description)));

    private static string Word(HealthStatus status) => status.ToString().ToLowerInvariant();
}

[Description("One check of a probe.")]
public sealed record ProbeCheck(
    [property: Description("healthy, degraded or unhealthy."), AllowedValues("healthy", "degraded", "unhealthy")] string Status,
    [property: Description("What the check found, in words; never a secret.")] string? Description);
