namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>
/// A request as a <see cref="HostileServer"/> received it, and what became of its answer. Recorded before the script
/// runs, so a test sees hung and streaming requests while they are still in flight; <see cref="BytesSent"/>,
/// <see cref="StatusCode"/> and <see cref="Outcome"/> move on as the answer is written.
/// </summary>
public sealed class HostileRequest
{
    private readonly TaskCompletionSource<HostileOutcome> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IReadOnlyDictionary<string, string> _query;
    private long _bytesSent;
    private int _statusCode;
    private int _dropped;
    private int _aborted;

    internal HostileRequest(
        int number,
        string method,
        string path,
        string queryString,
        IReadOnlyDictionary<string, string> query,
        IReadOnlyDictionary<string, string> headers,
        string body,
        DateTimeOffset receivedAt,
        string connectionId)
    {
        Number = number;
        Method = method;
        Path = path;
        QueryString = queryString;
        _query = query;
        Headers = headers;
        Body = body;
        ReceivedAt = receivedAt;
        ConnectionId = connectionId;
    }

    /// <summary>1 for the first request the server received, then 2, 3...: the order of arrival.</summary>
    public int Number { get; }

    /// <summary>GET, POST...</summary>
    public string Method { get; }

    /// <summary>The path, unescaped as Kestrel gives it (/v1/customers).</summary>
    public string Path { get; }

    /// <summary>The query string as sent, with its leading '?', or empty.</summary>
    public string QueryString { get; }

    /// <summary>The path and the query string, as a test writes them in an assertion.</summary>
    public string PathAndQuery => Path + QueryString;

    /// <summary>Every header, by name in any casing; a header sent more than once has its values joined with commas.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The request's body, read whole as UTF-8 before the script ran (empty for a GET).</summary>
    public string Body { get; }

    /// <summary>When the request arrived, by the clock given to <see cref="HostileServer.StartAsync"/>.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Kestrel's id of the connection: two requests with the same id came over one reused connection.</summary>
    public string ConnectionId { get; }

    /// <summary>The Authorization header, or null without one.</summary>
    public string? Authorization => Header("Authorization");

    /// <summary>The status line's code once the answer's headers went out; null while none did (a hang, a drop).</summary>
    public int? StatusCode => Volatile.Read(ref _statusCode) is var status and not 0 ? status : null;

    /// <summary>
    /// Body bytes handed to Kestrel so far, updated as a body streams (each write is counted as it begins, so the client
    /// never has more): a client that stops reading an endless body leaves it still once Kestrel's and the sockets'
    /// buffers are full (a few megabytes at most on loopback).
    /// </summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>How the server finished with the request, or <see cref="HostileOutcome.Pending"/> while it has not.</summary>
    public HostileOutcome Outcome => _finished.Task.IsCompleted ? _finished.Task.Result : HostileOutcome.Pending;

    /// <summary>Completes, never faulted, when the server is done with the request: how a test waits for the server to
    /// notice that the client went away.</summary>
    public Task<HostileOutcome> Finished => _finished.Task;

    /// <summary>Why the outcome is <see cref="HostileOutcome.Failed"/> (the script's exception), else null.</summary>
    public Exception? Error { get; private set; }

    /// <summary>A header's value (commas joining repeated ones), or null when it was not sent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>A query parameter's value (name in any casing, commas joining repeated ones), or null when absent.</summary>
    public string? Query(string name) => _query.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc/>
    public override string ToString() => $"#{Number} {Method} {PathAndQuery}";

    internal bool WasDropped => Volatile.Read(ref _dropped) != 0;

    internal void AddSent(long count) => Interlocked.Add(ref _bytesSent, count);

    internal void SetStatusCode(int statusCode) => Volatile.Write(ref _statusCode, statusCode);

    internal bool WasAborted => Volatile.Read(ref _aborted) != 0;

    internal void MarkDropped()
    {
        Volatile.Write(ref _dropped, 1);
        MarkAborted();
    }

    internal void MarkAborted() => Volatile.Write(ref _aborted, 1);

    internal void Finish(HostileOutcome outcome, Exception? error)
    {
        Error = error;
        _finished.TrySetResult(outcome);
    }
}
