using Npgsql;
using NUnit.Framework;

namespace TestSupport.Tests;

public sealed class PostgresUrlTests
{
    [Test]
    public void A_url_becomes_an_npgsql_connection_string_with_escapes_decoded_and_query_keys_passed_on()
    {
        var url = PostgresUrl.Parse("postgresql://app%40x:p%3Ass@db.local:6543/obs?timeout=5");

        var builder = new NpgsqlConnectionStringBuilder(url.ToConnectionString());

        Assert.Multiple(() =>
        {
            Assert.That(builder.Username, Is.EqualTo("app@x"));
            Assert.That(builder.Password, Is.EqualTo("p:ss"));
            Assert.That(builder.Host, Is.EqualTo("db.local"));
            Assert.That(builder.Port, Is.EqualTo(6543));
            Assert.That(builder.Database, Is.EqualTo("obs"));
            Assert.That(builder.Timeout, Is.EqualTo(5));
        });
    }

    [Test]
    public void Formatting_and_parsing_round_trip()
    {
        var url = new PostgresUrl("u:1", "p@/?", "127.0.0.1", 5433, "db");

        Assert.That(PostgresUrl.Parse(url.ToString()), Is.EqualTo(url));
    }

    [Test]
    public void The_port_defaults_to_5432()
    {
        Assert.That(PostgresUrl.Parse("postgres://u:p@localhost/db").Port, Is.EqualTo(5432));
    }
}
