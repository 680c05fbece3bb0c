using Microsoft.AspNetCore.Builder;

namespace ServiceDefaults;

/// <summary>The web host both processes build on.</summary>
public static class ServiceHost
{
    /// <summary>
    /// A slim web host rooted where the assembly is, not in the working directory, and that reads its
    /// configuration once. Settings come from the environment (and .env) at start; a configuration file
    /// watched for changes puts a recursive watch on the content root: a worker stopped by a bad setting
    /// took 500 ms started from the repository's root (120 ms from its own folder), and 1.4-7 s from /.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder() => WebApplication.CreateSlimBuilder(new WebApplicationOptions
    {
        Args = ["--hostBuilder:reloadConfigOnChange=false"],
        ContentRootPath = AppContext.BaseDirectory,
    });
}
