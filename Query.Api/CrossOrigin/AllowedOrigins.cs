namespace Query.Api.CrossOrigin;

/// <summary>CORS_ORIGINS, parsed: any origin ("*"), or exactly these origins (none when empty).</summary>
public sealed record AllowedOrigins(bool Any, IReadOnlyList<string> Origins)
{
    public const string Format =
        "* or a comma-separated list of origins such as https://app.example.com or http://localhost:5173 (http or https, a host, an optional port, nothing after)";

    public bool None => !Any && Origins.Count == 0;

    /// <returns>The origins; or null, with <paramref name="error"/> saying which entry is wrong (by position, not echoed).</returns>
    public static AllowedOrigins? TryParse(string text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return new AllowedOrigins(false, []);
        }

        if (text.Trim() == "*")
        {
            return new AllowedOrigins(true, []);
        }

        var origins = new List<string>();
        var entries = text.Split(',');
        for (var i = 0; i < entries.Length; i++)
        {
            if (Normalize(entries[i].Trim()) is not { } origin)
            {
                error = $"entry {i + 1} is not an origin";
                return null;
            }

            origins.Add(origin);
        }

        return new AllowedOrigins(false, origins);
    }

    /// <summary>
    /// The origin as browsers send it (lowercase scheme and host, punycode, no default port), or null.
    /// A trailing slash or path is refused rather than dropped: the entry would never match a browser's Origin.
    /// </summary>
    private static string? Normalize(string entry)
    {
        if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6)
            || uri.UserInfo.Length > 0
            || uri.AbsolutePath != "/" || entry.EndsWith('/') || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return null;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
