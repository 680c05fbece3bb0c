using FluentValidation;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Npgsql;
using Query.Api.Caching;
using Query.Api.Compression;
using Query.Api.Configuration;
using Query.Api.CrossOrigin;
using Query.Api.Database;
using Query.Api.OpenApi;
using Query.Api.RateLimiting;
using Query.Api.Status;
using Query.Api.Streaming;
using Query.Api.Workflows;
using ServiceDefaults.Configuration;

namespace Query.Api;

public static class ApiServices
{
    /// <summary>Everything the API's endpoints use, with its settings bound from <paramref name="configuration"/> and validated at start.</summary>
    public static IServiceCollection AddQueryApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelBinding>();
        // A request runs on its socket's I/O thread up to its first await instead of being handed to the thread
        // pool: safe, as no endpoint blocks a thread. Random /workflows/{id} under wrk (64 connections, 274,400
        // workflows, 2 cores), with the runtime's switch that does the same for every socket: 17,700-19,700
        // requests/s against 15,300-15,400 with the hand-off.
        services.Configure<SocketTransportOptions>(sockets => sockets.UnsafePreferInlineScheduling = true);
        services.AddSingleton(provider => ReadOnlyDatabase.ConnectionFor(provider.GetRequiredService<IOptions<ApiOptions>>().Value));
        services.AddSingleton(provider => PostgresDataSource.Create(provider.GetRequiredService<NpgsqlConnectionStringBuilder>()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => CacheSettings.From(provider.GetRequiredService<IOptions<ApiOptions>>().Value));
        services.AddSingleton<DataVersionProbe>();
        services.AddSingleton<AnswerCache>();
        services.AddSingleton<CachedAnswers>();
        services.AddSingleton<StatusReader>();
        services.AddSingleton<WorkflowQueries>();
        services.AddSingleton<WorkflowLookup>();
        services.AddStreaming();
        // Validators hold nothing but their rules: built once, not per request (each built its rules, regexes included, anew).
        services.AddValidatorsFromAssemblyContaining<WorkflowListRequestValidator>(ServiceLifetime.Singleton);
        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never);
        services.AddApiDocumentation();
        services.AddClientRateLimits().AddCrossOrigin().AddCompression();
        return services;
    }
}
