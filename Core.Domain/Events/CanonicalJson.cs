using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Core.Domain.Events;

/// <summary>One set of JSON writer settings for everything the domain serializes, so equal values give equal bytes.</summary>
internal static class CanonicalJson
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
