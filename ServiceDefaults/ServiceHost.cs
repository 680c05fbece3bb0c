using Microsoft.AspNetCore.Builder;

namespace ServiceDefaults;

/// <summary>The web host both processes build on.</summary>
public static class ServiceHost
{
    /// <summary>
    /// A slim web host rooted where the assembly is, not in the working directory, and that reads its
    /// configuration once. Settings come from the environment (and .env) at start; a configuration file
    /// watched for changes would put a recursive watch on the content root, which from the repository took
    /// 350 ms of start-up and from / seconds.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder() => WebApplication.CreateSlimBuilder(new WebApplicationOptions
    {
        Args = ["--hostBuilder:reloadConfigOnChange=false"],
        ContentRootPath = AppContext.BaseDirectory,
    });
}
