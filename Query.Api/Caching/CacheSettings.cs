using Query.Api.Configuration;

namespace Query.Api.Caching;

/// <summary>The answer cache's bounds, from CACHE_SIZE_MB and CACHE_MAX_STALENESS_MS.</summary>
public sealed record CacheSettings(long CapacityBytes, TimeSpan MaxStaleness)
{
    public static CacheSettings From(ApiOptions options) =>
        new(options.CacheSizeMegabytes * 1024L * 1024L, TimeSpan.FromMilliseconds(options.CacheMaxStalenessMilliseconds));
}
