using System.Globalization;
using Migrations.Schema;
using Npgsql;
using ServiceDefaults.Configuration;
using ServiceDefaults.Startup;

// The DBA's tool for the schema in DATABASE_URL: apply (the default), status, or script (the pending
// SQL as one reviewable psql file, applying nothing).
const string Usage = "usage: dotnet Migrations.dll [apply | status | script]";

if (args is not ([] or ["apply"] or ["status"] or ["script"]))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

return await ServiceStart.RunAsync(() => Task.FromResult(Run()));

int Run()
{
    // A bad DATABASE_URL is a ConfigurationException: ServiceStart prints it as one line, exit code 2.
    var connection = DatabaseUrl.Parse(Environment.GetEnvironmentVariable("DATABASE_URL"));
    var migrator = new SchemaMigrator(connection);
    var target = $"{connection.Host}:{connection.Port}/{connection.Database}";
    try
    {
        return args switch
        {
            ["status"] => PrintStatus(migrator.Status(), target),
            ["script"] => PrintScript(migrator.PendingScript()),
            _ => Apply(migrator, target),
        };
    }
    catch (ModifiedMigrationsException e)
    {
        Console.Error.WriteLine($"Nothing applied: {e.Message}");
        return 1;
    }
    catch (PostgresException e)
    {
        Console.Error.WriteLine($"The database at {target} refused: {e.MessageText}");
        return 1;
    }
    catch (NpgsqlException e)
    {
        return CannotReach(e, target);
    }
}

int Apply(SchemaMigrator migrator, string target)
{
    var result = migrator.Apply(Console.Out);
    switch (result)
    {
        case { Successful: true }:
            Console.WriteLine($"Schema up to date ({result.Scripts.Count()} script(s) applied now).");
            return 0;
        case { Error: NpgsqlException unreachable } when unreachable is not PostgresException:
            return CannotReach(unreachable, target);
        default:
            Console.Error.WriteLine($"Migration failed in {result.ErrorScript?.Name ?? "an unknown script"} (rolled back): {result.Error?.Message}");
            return 1;
    }
}

int PrintStatus(MigrationStatus status, string target)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Schema of {target}: {status.Count(ScriptStatus.Applied)} applied, {status.Count(ScriptStatus.Pending)} pending, " +
        $"{status.Count(ScriptStatus.Modified)} modified, {status.Count(ScriptStatus.Unknown)} unknown to this program"));
    foreach (var script in status.Scripts)
    {
        var applied = script.AppliedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
        var checksum = script.Status == ScriptStatus.Modified
            ? $"sha256 {script.Sha256} (ran as {script.AppliedSha256})"
            : $"sha256 {script.Sha256 ?? script.AppliedSha256 ?? "-"}";
        Console.WriteLine($"  {script.Status.ToString().ToLowerInvariant(),-8}  {applied,-19}  {script.Name}  {checksum}");
    }

    // A modified applied script is an error a deployment pipeline must see; pending ones are not.
    return status.Modified.Count > 0 ? 1 : 0;
}

int PrintScript(string sql)
{
    Console.Write(sql);
    return 0;
}

int CannotReach(NpgsqlException e, string target)
{
    Console.Error.WriteLine($"Cannot reach the database at {target}: {e.Message}");
    return 1;
}
