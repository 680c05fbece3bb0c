using Migrations.Notifications;
using Npgsql;

namespace Indexer.Worker.Notifications;

/// <summary>
/// Announces a commit to listeners (Query.Api's live streams). Called inside the commit's transaction:
/// PostgreSQL delivers the notification when, and only if, the transaction commits, so a listener never
/// hears of data it cannot see yet, nor of a commit that rolled back. One statement per transaction.
/// </summary>
public static class ChangeNotifier
{
    private const string Notify = "SELECT pg_notify($1, $2)";

    public static async Task NotifyAsync(NpgsqlConnection connection, ChangeNotice notice, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Notify, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ChangeNotice.Channel });
        command.Parameters.Add(new NpgsqlParameter { Value = notice.ToPayload() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
