using Microsoft.Extensions.Options;
using Migrations.Schema;
using Npgsql;
using Query.Api;
using Query.Api.Configuration;
using Query.Api.CrossOrigin;
using Query.Api.Dashboard;
using Query.Api.Health;
using Query.Api.OpenApi;
using Query.Api.RateLimiting;
using Query.Api.Stats;
using Query.Api.Status;
using Query.Api.Streaming;
using Query.Api.Workflows;
using ServiceDefaults;
using ServiceDefaults.Health;
using ServiceDefaults.Startup;

return await ServiceStart.RunAsync(async () =>
{
    var builder = ServiceHost.CreateBuilder();

    builder.AddServiceDefaults(new ServiceIdentity("x402-query-api", [StreamMetrics.MeterName], [], TraceSql: true))
        .AddCheck<SchemaReady>(SchemaReady.Name, tags: [Probes.Ready]);
    builder.Services.AddQueryApi(builder.Configuration);

    // Building the app resolves the options (Kestrel binds HOST:PORT from them): a bad one reaches ServiceStart.
    var app = builder.Build();
    new SchemaMigrator(app.Services.GetRequiredService<NpgsqlConnectionStringBuilder>()).EnsureUpToDate();
    var listen = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
    ListenAddress.EnsureFree(listen.Host, listen.Port, "PORT");

    // Outermost first: who the client is, then compression of whatever follows, CORS headers (on 429 and 503 too), the rate limit.
    app.UseClientAddresses();
    app.UseResponseCompression();
    app.UseCrossOrigin();
    app.UseClientRateLimits();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseDashboardFiles();
    app.MapHealth();
    app.MapServiceDefaults().DocumentProbes();
    app.MapWorkflows();
    app.MapStats();
    app.MapStatus();
    app.MapApiDocumentation();
    app.MapStream();
    app.MapDashboard();

    await app.RunAsync();
    return 0;
});
