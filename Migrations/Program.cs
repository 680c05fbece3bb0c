using Migrations.Configuration;
using Migrations.Schema;
using Npgsql;

// Applies the embedded SQL scripts to DATABASE_URL. With --print-pending it applies nothing and
// prints the SQL that would run, for a DBA to review (or to run by hand with psql).
const string Usage = "usage: dotnet run --project Migrations [-- --print-pending]";

var printOnly = args is ["--print-pending"];
if (args.Length > 0 && !printOnly)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

DotEnvFile.LoadIfPresent();
NpgsqlConnectionStringBuilder connection;
try
{
    connection = DatabaseUrl.Parse(Environment.GetEnvironmentVariable("DATABASE_URL"));
}
catch (InvalidDatabaseUrlException e)
{
    Console.Error.WriteLine($"Configuration error: {e.Message}");
    return 2;
}

var migrator = new SchemaMigrator(connection);
try
{
    if (printOnly)
    {
        var pending = migrator.PendingScripts();
        Console.WriteLine($"-- {pending.Count} pending migration(s) for {connection.Host}:{connection.Port}/{connection.Database}");
        foreach (var script in pending)
        {
            Console.WriteLine($"-- {script.Name}");
            Console.WriteLine(script.Contents);
        }

        return 0;
    }

    var result = migrator.Apply(Console.Out);
    switch (result)
    {
        case { Successful: true }:
            break;
        case { Error: NpgsqlException unreachable } when unreachable is not PostgresException:
            return CannotReach(unreachable);
        default:
            Console.Error.WriteLine($"Migration failed in {result.ErrorScript?.Name ?? "an unknown script"} (rolled back): {result.Error?.Message}");
            return 1;
    }

    Console.WriteLine($"Schema up to date ({result.Scripts.Count()} script(s) applied now).");
    return 0;
}
catch (NpgsqlException e)
{
    return CannotReach(e);
}

int CannotReach(NpgsqlException e)
{
    Console.Error.WriteLine($"Cannot reach the database at {connection.Host}:{connection.Port}/{connection.Database}: {e.Message}");
    return 1;
}
