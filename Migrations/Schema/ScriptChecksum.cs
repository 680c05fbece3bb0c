using System.Security.Cryptography;
using System.Text;
using DbUp.Engine;

namespace Migrations.Schema;

public static class ScriptChecksum
{
    /// <summary>Lowercase hex SHA-256 of the script's text as UTF-8.</summary>
    public static string Of(SqlScript script) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(script.Contents)));
}
