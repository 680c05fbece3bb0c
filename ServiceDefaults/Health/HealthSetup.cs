using Microsoft.Extensions.DependencyInjection;

namespace ServiceDefaults.Health;

public static class HealthSetup
{
    /// <summary>The checks both processes share; each adds its own with <see cref="Probes.Ready"/> on the builder returned.</summary>
    public static IHealthChecksBuilder AddServiceHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<DatabaseReachable>(DatabaseReachable.Name, tags: [Probes.Ready]);
}
