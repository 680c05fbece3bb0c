using System.Net;

namespace Query.Api.RateLimiting;

/// <summary>TRUSTED_PROXIES, parsed: the proxies whose X-Forwarded-For is believed.</summary>
public sealed record TrustedProxies(IReadOnlyList<IPAddress> Addresses, IReadOnlyList<IPNetwork> Networks)
{
    public const string Format =
        "a comma-separated list of IP addresses and CIDR networks such as 10.0.0.5, 10.0.0.0/8 or fd00::/8 (a network's address without bits beyond its prefix)";

    public bool None => Addresses.Count == 0 && Networks.Count == 0;

    /// <returns>The proxies; or null, with <paramref name="error"/> saying which entry is wrong (by position, not echoed).</returns>
    public static TrustedProxies? TryParse(string text, out string? error)
    {
        error = null;
        var addresses = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new TrustedProxies(addresses, networks);
        }

        var entries = text.Split(',');
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i].Trim();
            if (entry.Contains('/') && TryParseNetwork(entry) is { } network)
            {
                networks.Add(network);
            }
            else if (!entry.Contains('/') && TryParseAddress(entry) is { } address)
            {
                addresses.Add(address);
            }
            else
            {
                error = $"entry {i + 1} is not an IP address or CIDR network";
                return null;
            }
        }

        return new TrustedProxies(addresses, networks);
    }

    // IPAddress.TryParse also takes legacy IPv4 forms ("1" is 0.0.0.1, "0x7f.1" is 127.0.0.1): only the dotted quad is meant.
    private static IPAddress? TryParseAddress(string entry) =>
        IPAddress.TryParse(entry, out var address) && (entry.Contains(':') || address.ToString() == entry) ? address : null;

    // IPNetwork.TryParse masks "10.0.0.5/8" to 10.0.0.0/8: such an entry more likely meant one host, so it is refused.
    private static IPNetwork? TryParseNetwork(string entry) =>
        IPNetwork.TryParse(entry, out var network) && TryParseAddress(entry[..entry.IndexOf('/')]) is { } address && address.Equals(network.BaseAddress)
            ? network
            : null;
}
