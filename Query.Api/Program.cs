using FluentValidation;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Migrations.Schema;
using Npgsql;
using Query.Api.Caching;
using Query.Api.Compression;
using Query.Api.Configuration;
using Query.Api.CrossOrigin;
using Query.Api.Dashboard;
using Query.Api.Database;
using Query.Api.Health;
using Query.Api.OpenApi;
using Query.Api.RateLimiting;
using Query.Api.Stats;
using Query.Api.Status;
using Query.Api.Streaming;
using Query.Api.Workflows;
using ServiceDefaults.Health;
using ServiceDefaults.Logging;
using ServiceDefaults.Startup;
using ServiceDefaults.Telemetry;

return await ServiceStart.RunAsync(async () =>
{
    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
    builder.Logging.AddServiceLogging(builder.Configuration);

    builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration).ValidateOnStart();
    builder.Services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
    builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelBinding>();
    builder.Services.AddSingleton(provider => ReadOnlyDatabase.ConnectionFor(provider.GetRequiredService<IOptions<ApiOptions>>().Value));
    builder.Services.AddSingleton(provider => NpgsqlDataSource.Create(provider.GetRequiredService<NpgsqlConnectionStringBuilder>()));
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton(provider => CacheSettings.From(provider.GetRequiredService<IOptions<ApiOptions>>().Value));
    builder.Services.AddSingleton<DataVersionProbe>();
    builder.Services.AddSingleton<AnswerCache>();
    builder.Services.AddSingleton<CachedAnswers>();
    builder.Services.AddSingleton<StatusReader>();
    builder.Services.AddSingleton<WorkflowQueries>();
    builder.Services.AddStreaming();
    builder.Services.AddServiceTelemetry(builder.Configuration, "x402-query-api", [StreamMetrics.MeterName], [], traceSql: true);
    builder.Services.AddServiceHealthChecks().AddCheck<SchemaReady>(SchemaReady.Name, tags: [Probes.Ready]);
    builder.Services.AddValidatorsFromAssemblyContaining<WorkflowListRequestValidator>();
    builder.Services.AddProblemDetails();
    builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
    builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never);
    builder.Services.AddApiDocumentation();
    builder.Services.AddClientRateLimits().AddCrossOrigin().AddCompression();

    // Building the app resolves the options (Kestrel binds HOST:PORT from them): a bad one reaches ServiceStart.
    var app = builder.Build();
    new SchemaMigrator(app.Services.GetRequiredService<NpgsqlConnectionStringBuilder>()).EnsureUpToDate();

    // Outermost first: who the client is, then compression of whatever follows, CORS headers (on 429 and 503 too), the rate limit.
    app.UseClientAddresses();
    app.UseResponseCompression();
    app.UseCrossOrigin();
    app.UseClientRateLimits();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseDashboardFiles();
    app.MapHealth();
    app.MapMetrics();
    app.MapWorkflows();
    app.MapStats();
    app.MapStatus();
    app.MapApiDocumentation();
    app.MapStream();
    app.MapDashboard();

    await app.RunAsync();
    return 0;
});
