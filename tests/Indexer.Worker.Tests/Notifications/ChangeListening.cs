using System.Threading.Channels;
using ServiceDefaults.Configuration;
using Migrations.Notifications;
using Npgsql;

namespace Indexer.Worker.Tests.Notifications;

/// <summary>A LISTEN on the worker's channel from the test, collecting every notification as it arrives.</summary>
public sealed class ChangeListening : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<string> _payloads = Channel.CreateUnbounded<string>();
    private readonly Task _waiting;

    private ChangeListening(NpgsqlConnection connection)
    {
        _connection = connection;
        _connection.Notification += (_, notification) =>
        {
            if (notification.Channel == ChangeNotice.Channel)
            {
                _payloads.Writer.TryWrite(notification.Payload);
            }
        };
        _waiting = WaitAsync();
    }

    public static async Task<ChangeListening> StartAsync(string databaseUrl)
    {
        var connection = new NpgsqlConnection(DatabaseUrl.Parse(databaseUrl).ConnectionString);
        await connection.OpenAsync();
        await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotice.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync();
        }

        return new ChangeListening(connection);
    }

    /// <summary>The next payload, as sent.</summary>
    public async Task<string> NextAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await _payloads.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No notification within {timeout.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>Whatever has arrived and was not taken yet.</summary>
    public List<string> Pending()
    {
        var pending = new List<string>();
        while (_payloads.Reader.TryRead(out var payload))
        {
            pending.Add(payload);
        }

        return pending;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _waiting;
        }
        catch (OperationCanceledException)
        {
        }

        await _connection.DisposeAsync();
        _stop.Dispose();
    }

    private async Task WaitAsync()
    {
        while (true)
        {
            await _connection.WaitAsync(_stop.Token);
        }
    }
}
