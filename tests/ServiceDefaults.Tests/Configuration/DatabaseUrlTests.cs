using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;

namespace ServiceDefaults.Tests.Configuration;

public sealed class DatabaseUrlTests
{
    private const string Password = "Sup3r-Secret-Pw";

    [Test]
    public void Parse_FullUrl_SetsEveryPart()
    {
        var connection = DatabaseUrl.Parse("postgresql://observer:pw123@db.example.internal:6543/x402_observer");

        Assert.Multiple(() =>
        {
            Assert.That(connection.Host, Is.EqualTo("db.example.internal"));
            Assert.That(connection.Port, Is.EqualTo(6543));
            Assert.That(connection.Database, Is.EqualTo("x402_observer"));
            Assert.That(connection.Username, Is.EqualTo("observer"));
            Assert.That(connection.Password, Is.EqualTo("pw123"));
        });
    }

    [Test]
    public void Parse_WithoutGssParameter_TurnsGssEncryptionOff()
    {
        Assert.That(DatabaseUrl.Parse("postgresql://u:p@localhost/db").GssEncryptionMode, Is.EqualTo(GssEncryptionMode.Disable));
    }

    [Test]
    public void Parse_GssParameter_TurnsGssEncryptionBackOn()
    {
        var connection = DatabaseUrl.Parse("postgresql://u:p@localhost/db?GssEncryptionMode=Prefer");

        Assert.That(connection.GssEncryptionMode, Is.EqualTo(GssEncryptionMode.Prefer));
    }

    [Test]
    public void Parse_PostgresScheme_IsAcceptedLikePostgresql()
    {
        var connection = DatabaseUrl.Parse("postgres://u:p@localhost:5433/db");

        Assert.That((connection.Host, connection.Port, connection.Database), Is.EqualTo(("localhost", 5433, "db")));
    }

    [TestCase("postgresql://u:p@localhost/db")]
    [TestCase("postgres://u:p@10.0.0.7/db")]
    public void Parse_NoPort_Uses5432(string url)
    {
        Assert.That(DatabaseUrl.Parse(url).Port, Is.EqualTo(5432));
    }

    [Test]
    public void Parse_PercentEncodedUserAndPassword_AreDecoded()
    {
        var connection = DatabaseUrl.Parse("postgresql://app%40corp:p%40ss%3Aw%2Fd%25%20x@localhost:5432/my%20db");

        Assert.Multiple(() =>
        {
            Assert.That(connection.Username, Is.EqualTo("app@corp"));
            Assert.That(connection.Password, Is.EqualTo("p@ss:w/d% x"));
            Assert.That(connection.Database, Is.EqualTo("my db"));
        });
    }

    [Test]
    public void Parse_UserWithoutPassword_LeavesThePasswordUnset()
    {
        var connection = DatabaseUrl.Parse("postgresql://reader@localhost/db");

        Assert.Multiple(() =>
        {
            Assert.That(connection.Username, Is.EqualTo("reader"));
            Assert.That(connection.Password, Is.Null);
        });
    }

    [Test]
    public void Parse_QueryParameters_BecomeNpgsqlSettings()
    {
        var connection = DatabaseUrl.Parse("postgresql://u:p@db.example:5432/obs?sslmode=require&timeout=7&Application%20Name=x402");

        Assert.Multiple(() =>
        {
            Assert.That(connection.SslMode, Is.EqualTo(SslMode.Require));
            Assert.That(connection.Timeout, Is.EqualTo(7));
            Assert.That(connection.ApplicationName, Is.EqualTo("x402"));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void Parse_MissingOrBlank_ThrowsNamingDatabaseUrl(string? value)
    {
        var error = Assert.Throws<InvalidDatabaseUrlException>(() => DatabaseUrl.Parse(value));

        Assert.That(error!.Message, Does.Contain("DATABASE_URL").And.Contain("missing"));
    }

    [TestCase("nonsense")]
    [TestCase("Host=localhost;Username=u;Password=" + Password + ";Database=db")]
    [TestCase("localhost:5432/db")]
    [TestCase("mysql://u:" + Password + "@localhost:3306/db")]
    [TestCase("http://u:" + Password + "@localhost/db")]
    [TestCase("postgresql://u:" + Password + "@localhost:5432")]
    [TestCase("postgresql://u:" + Password + "@localhost:5432/")]
    [TestCase("postgresql://u:" + Password + "@localhost:99999/db")]
    [TestCase("postgresql://u:" + Password + "@localhost/db?no_such_setting=1")]
    [TestCase("postgresql://u:" + Password + "@localhost/db?sslmode=sometimes")]
    public void Parse_UnusableUrl_ThrowsNamingDatabaseUrlWithoutThePassword(string value)
    {
        var error = Assert.Throws<InvalidDatabaseUrlException>(() => DatabaseUrl.Parse(value));

        Assert.That(error!.Message, Does.StartWith("DATABASE_URL ").And.Not.Contain(Password));
    }

    [Test]
    public void Parse_UnsupportedParameter_NamesTheParameter()
    {
        var error = Assert.Throws<InvalidDatabaseUrlException>(
            () => DatabaseUrl.Parse("postgresql://u:" + Password + "@localhost/db?no_such_setting=1"));

        Assert.That(error!.Message, Does.Contain("no_such_setting"));
    }

    [TestCase("nonsense")]
    [TestCase("mysql://u:p@localhost/db")]
    public void Parse_NotAPostgresUrl_ShowsTheExpectedForm(string value)
    {
        var error = Assert.Throws<InvalidDatabaseUrlException>(() => DatabaseUrl.Parse(value));

        Assert.That(error!.Message, Does.Contain("postgresql://user:pass@host:port/database"));
    }

    [Test]
    public void Parse_NoDatabase_SaysADatabaseIsNeeded()
    {
        var error = Assert.Throws<InvalidDatabaseUrlException>(() => DatabaseUrl.Parse("postgresql://u:p@localhost:5432/"));

        Assert.That(error!.Message, Does.Contain("database"));
    }
}
