using System.Numerics;
using Core.Domain.Events;
using Core.Domain.Projection;
using Core.Domain.Proofs;
using ServiceDefaults.Configuration;
using Migrations.Projection;
using Migrations.Schema;
using Migrations.Tests.Support;
using Npgsql;
using NUnit.Framework;

namespace Migrations.Tests.Projection;

/// <summary>The one projection row definition against the table the migrations create, on a real PostgreSQL.</summary>
[TestFixture]
public sealed class ProjectionTableTests
{
    private const string Running = "0x0000000000000000000000000000000000000000000000000000000000000001";
    private const string Completed = "0x00000000000000000000000000000000000000000000000000000000000000c2";
    private const string Rejected = "0x00000000000000000000000000000000000000000000000000000000000000B3";
    private const string Orphan = "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    private const string Initiator = "0x1111111111111111111111111111111111111111";
    private const string Payee = "0x3333333333333333333333333333333333333333";
    private const string AwkwardReason = "say \"no\" \\ déjà vu – 拒否\nline 2";

    private static readonly BigInteger Uint256Max = (BigInteger.One << 256) - 1;

    private string url = null!;
    private string connectionString = null!;

    [OneTimeSetUp]
    public async Task MigrateAFreshDatabase()
    {
        url = await Database.CreateEmptyAsync();
        var applied = new SchemaMigrator(DatabaseUrl.Parse(url)).Apply(TextWriter.Null);
        Assert.That(applied.Successful, Is.True, applied.Error?.ToString());
        connectionString = DatabaseUrl.Parse(url).ConnectionString;
    }

    [Test]
    public async Task ColumnList_IsEveryColumnOfTheMigratedTable_InTableOrder()
    {
        var migrated = await Database.ScalarAsync<string>(url, """
            SELECT string_agg(column_name, ', ' ORDER BY ordinal_position)
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = 'workflow_state'
            """);

        Assert.That(ProjectionTable.ColumnList, Is.EqualTo(migrated));
    }

    [Test]
    public async Task WriteThenRead_EveryKindOfRow_ComesBackEqual()
    {
        var written = SampleRows();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var copy = await ProjectionCopy.BeginAsync(connection, ProjectionTable.Name, CancellationToken.None))
        {
            foreach (var row in written)
            {
                await copy.WriteAsync(row, CancellationToken.None);
            }

            await copy.CompleteAsync(CancellationToken.None);
        }

        var read = new List<ProjectionRow>();
        await using (var select = new NpgsqlCommand($"SELECT {ProjectionTable.ColumnList} FROM workflow_state ORDER BY workflow_id COLLATE \"C\"", connection))
        await using (var reader = await select.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                read.Add(ProjectionTable.Read(reader).WithCanonicalJson());
            }
        }

        await transaction.RollbackAsync();
        Assert.That(read, Is.EqualTo(written.OrderBy(row => row.WorkflowId, StringComparer.Ordinal)));
    }

    [Test]
    public async Task Read_QueryOfOtherColumns_ThrowsInvalidDataException()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("SELECT 'x'::text, 'running'::text", connection);
        await using var reader = await select.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.That(() => ProjectionTable.Read(reader), Throws.TypeOf<InvalidDataException>());
    }

    /// <summary>Rows of every phase: nulls, amounts of 0 and 2^256 − 1, awkward text, anomalies.</summary>
    private static List<ProjectionRow> SampleRows()
    {
        WorkflowEvent[] log =
        [
            new WorkflowStarted(Running, new EventPosition(10, 0, 0), 1000, Initiator),
            new WorkflowStarted(Completed, new EventPosition(10, 1, 0), 1000, Initiator),
            new WorkflowStarted(Rejected, new EventPosition(10, 2, 0), 1000, Initiator),
            new PaymentExecuted(Orphan, new EventPosition(10, 3, 0), 1000, Initiator, Payee, BigInteger.Zero),
            new DecisionRecorded(Completed, new EventPosition(11, 0, 0), 1100, true, AwkwardReason),
            new DecisionRecorded(Rejected, new EventPosition(11, 1, 0), 1100, false, AwkwardReason),
            new WorkflowFailed(Rejected, new EventPosition(11, 1, 1), 1100, AwkwardReason),
            new WorkflowStarted(Completed, new EventPosition(11, 2, 0), 1100, Initiator),
            new PaymentExecuted(Completed, new EventPosition(12, 0, 0), 1200, Initiator, Payee, Uint256Max),
            new WorkflowCompleted(Completed, new EventPosition(13, int.MaxValue, int.MaxValue), 1300),
        ];
        return [.. ProjectionFold.Fold(log).Values.Select(ProjectionRow.Of)];
    }
}
