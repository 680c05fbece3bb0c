using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;

namespace Query.Api.Streaming;

/// <summary>
/// Serves one GET /stream response: catches up from the log when it resumes (in short queries; no
/// connection is held), then sends what the <see cref="ChangeFeed"/> queues for it. It ends cleanly at
/// shutdown, and is cut off when its client stops reading and its queue overflows.
/// </summary>
public sealed class StreamSession(ChangeFeed feed, ChangeLog log, CatchUpGate gate, IHostApplicationLifetime lifetime, ILogger<StreamSession> logger)
{
    /// <summary>Events per read while catching up; a block is never cut.</summary>
    private const int CatchUpPageEvents = 1000;

    /// <summary>Written but unsent bytes held at most before a flush, so a large batch is not buffered whole.</summary>
    private const int FlushBytes = 16 * 1024;

    /// <summary>Starts the response and streams until the client leaves, it is dropped, or the API stops.</summary>
    /// <param name="subscription">For a live start: taken before the response began; null when resuming.</param>
    public async Task RunAsync(HttpContext context, StreamStart start, StreamSubscription? subscription, string? workflowId)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var writer = response.BodyWriter;
        try
        {
            await response.StartAsync(ending.Token);
            StreamProgress progress;
            if (start is StreamStart.Resume resume)
            {
                progress = new StreamProgress(resume.Cursor, resume.LastReorgId, workflowId);
                await CatchUpAsync(progress, writer, ending.Token);
                // Subscribed first, then caught up again: whatever the feed queues from now overlaps the log read, nothing is missed.
                subscription = await feed.SubscribeAsync(ending.Token);
                if (subscription is null)
                {
                    return;
                }

                await CatchUpAsync(progress, writer, ending.Token);
                await WriteAsync(writer, [await feed.StatusFrameAsync(progress.Cursor, ending.Token)], ending.Token);
            }
            else
            {
                progress = new StreamProgress(subscription!.Cursor, subscription.LastReorgId, workflowId);
                var opening = new List<StreamFrame>();
                if (start is StreamStart.Live { ResetReason: { } reason })
                {
                    opening.Add(StreamFrame.Reset(subscription.Cursor, reason));
                }

                if (subscription.Status is { } status)
                {
                    opening.Add(status);
                }

                await WriteAsync(writer, opening, ending.Token);
            }

            await FollowAsync(subscription, progress, writer, ending.Token);
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested || subscription?.Subscriber.IsDropped == true)
        {
            // The client left, or the API is stopping, or the client fell too far behind: nothing more to send.
        }
        catch (ClientGoneException)
        {
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The response has started, so no 503: the stream ends and the client resumes from its Last-Event-ID.
            logger.LogWarning("Ended a stream catching up from the log: database unavailable ({Reason})", e.Message);
        }
        finally
        {
            if (subscription is not null)
            {
                feed.Unsubscribe(subscription.Subscriber);
                if (subscription.Subscriber.IsDropped)
                {
                    // Its writes are stuck behind a client that does not read: close the connection rather than wait.
                    context.Abort();
                }
            }
        }
    }

    private async Task CatchUpAsync(StreamProgress progress, PipeWriter writer, CancellationToken cancellationToken)
    {
        while (await gate.RunAsync(token => log.PageAsync(progress.Cursor, progress.WorkflowId, CatchUpPageEvents, token), cancellationToken) is { } page)
        {
            if (page.Head.LastReorgId > progress.LastReorgId)
            {
                // A repair committed while catching up: tell the client if it had gone past the ancestor, and read on from there.
                foreach (var reorg in await gate.RunAsync(token => log.ReorgsAfterAsync(progress.LastReorgId, token), cancellationToken))
                {
                    await WriteAsync(writer, progress.Admit(reorg), cancellationToken);
                }

                continue;
            }

            await WriteAsync(writer, progress.Admit(new StreamBatch(page.Frames)), cancellationToken);
            progress.Reached(page.End);
            if (page.ReachedHead)
            {
                return;
            }
        }
    }

    private async Task FollowAsync(StreamSubscription subscription, StreamProgress progress, PipeWriter writer, CancellationToken ending)
    {
        var subscriber = subscription.Subscriber;
        using var following = CancellationTokenSource.CreateLinkedTokenSource(ending, subscriber.Dropped);
        await foreach (var batch in subscriber.Batches.ReadAllAsync(following.Token))
        {
            await WriteAsync(writer, progress.Admit(batch), following.Token);
        }
    }

    private static async Task WriteAsync(PipeWriter writer, List<StreamFrame> frames, CancellationToken cancellationToken)
    {
        if (frames.Count == 0)
        {
            return;
        }

        foreach (var frame in frames)
        {
            writer.Write(frame.Bytes);
            if (writer.UnflushedBytes >= FlushBytes)
            {
                await FlushAsync(writer, cancellationToken);
            }
        }

        await FlushAsync(writer, cancellationToken);
    }

    private static async Task FlushAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        var flushed = await writer.FlushAsync(cancellationToken);
        if (flushed.IsCompleted || flushed.IsCanceled)
        {
            throw new ClientGoneException();
        }
    }

    /// <summary>The response cannot take more: its client has gone.</summary>
    private sealed class ClientGoneException() : Exception("The client closed the stream.");
}
