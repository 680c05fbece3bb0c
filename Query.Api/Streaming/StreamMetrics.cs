namespace Query.Api.Streaming;

public static class StreamMetrics
{
    /// <summary>The API's own meter; request and SQL metrics come from ASP.NET Core's and Npgsql's.</summary>
    public const string MeterName = "X402.Api";
}
