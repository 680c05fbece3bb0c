using System.Security.Cryptography;

namespace TestSupport;

internal static class Secrets
{
    /// <summary>A random password, hex so that it needs no escaping in URLs or SQL.</summary>
    public static string NewPassword() => RandomNumberGenerator.GetHexString(32, lowercase: true);
}
