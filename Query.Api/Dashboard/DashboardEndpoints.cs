using System.ComponentModel;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Query.Api.Configuration;

namespace Query.Api.Dashboard;

/// <summary>The dashboard: static files from wwwroot at /, and the one setting its page reads.</summary>
public static class DashboardEndpoints
{
    /// <summary>
    /// Serves wwwroot beside the built assembly, not under the working directory, so the dashboard is
    /// there however the API is started. Files are revalidated on every load (ETag, Last-Modified),
    /// so a new version of the dashboard is seen at once.
    /// </summary>
    public static void UseDashboardFiles(this WebApplication app)
    {
        var files = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
    }

    public static void MapDashboard(this IEndpointRouteBuilder app) =>
        app.MapGet("/dashboard/settings", (IOptions<ApiOptions> options) =>
            new DashboardSettings(options.Value.ExplorerUrl.Length == 0 ? null : options.Value.ExplorerUrl.TrimEnd('/')))
            .WithName("getDashboardSettings")
            .WithTags("Dashboard")
            .WithSummary("Settings the dashboard page reads")
            .WithDescription("The block explorer the dashboard links transactions, blocks and addresses to (EXPLORER_URL), or null for no links.")
            .Produces<DashboardSettings>();
}

[Description("Settings the dashboard page reads.")]
public sealed record DashboardSettings(
    [property: Description("EXPLORER_URL without a trailing slash, or null when unset (no explorer links).")] string? ExplorerUrl);
