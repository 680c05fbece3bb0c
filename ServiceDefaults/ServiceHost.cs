using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults;

/// <summary>The hosts both processes build on: a web host for a service, a plain one for a one-off command.</summary>
public static class ServiceHost
{
    // Settings come from the environment (and .env) at start, read once: see CreateBuilder.
    private static readonly string[] ReadConfigurationOnce = ["--hostBuilder:reloadConfigOnChange=false"];

    /// <summary>
    /// A slim web host rooted where the assembly is, not in the working directory, and that reads its
    /// configuration once. Settings come from the environment (and .env) at start; a configuration file
    /// watched for changes puts a recursive watch on the content root: a worker stopped by a bad setting
    /// took 500 ms started from the repository's root (120 ms from its own folder), and 1.4-7 s from /.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder() => WebApplication.CreateSlimBuilder(new WebApplicationOptions
    {
        Args = ReadConfigurationOnce,
        ContentRootPath = AppContext.BaseDirectory,
    });

    /// <summary>
    /// The same configuration as <see cref="CreateBuilder"/>, without the web host: a command that serves nothing
    /// (the worker's replay and verify) does not pay for setting up Kestrel, routing and their options at start.
    /// </summary>
    public static HostApplicationBuilder CreateCommandBuilder() => Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        Args = ReadConfigurationOnce,
        ContentRootPath = AppContext.BaseDirectory,
    });
}
