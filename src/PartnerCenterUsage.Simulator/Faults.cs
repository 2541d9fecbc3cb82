using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PartnerCenterUsage.Simulator;

/// <summary>
/// A failure the simulator answers with instead of the real answer, for matching requests, a number of times.
/// </summary>
public sealed class InjectedFault
{
    /// <summary>The status to answer.</summary>
    public int StatusCode { get; init; } = 500;

    /// <summary>The body to answer (verbatim), or null for none.</summary>
    public string? Body { get; init; }

    /// <summary>The body as bytes, taking precedence over <see cref="Body"/> (for bodies that are not valid UTF-8).</summary>
    public byte[]? BodyBytes { get; init; }

    /// <summary>The Content-Type of <see cref="Body"/>.</summary>
    public string ContentType { get; init; } = "application/json; charset=utf-8";

    /// <summary>The Retry-After header (seconds or an HTTP date), or null for none.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Abort the connection instead of answering.</summary>
    public bool DropConnection { get; init; }

    /// <summary>An extra delay before answering.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Only requests about this customer; null for any request.</summary>
    public Guid? CustomerId { get; init; }

    /// <summary>Only requests whose path (without the query) contains this, case-insensitively; null for any path.</summary>
    public string? PathContains { get; init; }

    /// <summary>
    /// How many matching requests pass unfaulted before the fault applies (to fail the second page of a listing, say);
    /// they do not count against <see cref="Times"/>.
    /// </summary>
    public int SkipFirst { get; init; }

    /// <summary>How many matching requests get the fault; null for all of them.</summary>
    public int? Times { get; init; }

    /// <summary>A Partner Center error with the documented body.</summary>
    public static InjectedFault Error(
        int statusCode, string? code, string? description, Guid? customerId = null, int? times = null, string? pathContains = null, int skipFirst = 0) => new()
    {
        StatusCode = statusCode,
        Body = JsonSerializer.Serialize(new { code, description, data = Array.Empty<string>(), source = "PartnerFD" }),
        CustomerId = customerId,
        Times = times,
        PathContains = pathContains,
        SkipFirst = skipFirst,
    };

    /// <summary>Throttling as Partner Center does it: 429, Retry-After, and a body that does not follow the error schema.</summary>
    public static InjectedFault Throttle(string? retryAfter = "1", Guid? customerId = null, int? times = null, string? pathContains = null, int skipFirst = 0) => new()
    {
        StatusCode = 429,
        RetryAfter = retryAfter,
        Body = string.Create(CultureInfo.InvariantCulture,
            $"{{\"statusCode\":429,\"message\":\"Rate limit is exceeded. Try again in {(int.TryParse(retryAfter, out var s) ? s : 1)} seconds.\"}}"),
        CustomerId = customerId,
        Times = times,
        PathContains = pathContains,
        SkipFirst = skipFirst,
    };

    /// <summary>A success status with a body of your choice (malformed JSON, a wrong shape...).</summary>
    public static InjectedFault RawBody(
        string body, int statusCode = 200, Guid? customerId = null, int? times = null, string? pathContains = null, int skipFirst = 0) => new()
    {
        StatusCode = statusCode,
        Body = body,
        CustomerId = customerId,
        Times = times,
        PathContains = pathContains,
        SkipFirst = skipFirst,
    };
}

/// <summary>The faults armed on a simulator. Thread-safe; the first matching fault with uses left wins.</summary>
public sealed class FaultInjector
{
    private readonly List<Armed> _faults = [];
    private readonly object _lock = new();

    /// <summary>Arms a fault.</summary>
    public void Add(InjectedFault fault)
    {
        lock (_lock)
        {
            _faults.Add(new Armed(fault, fault.Times ?? int.MaxValue));
        }
    }

    /// <summary>Disarms every fault.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _faults.Clear();
        }
    }

    internal InjectedFault? Take(Guid? customerId, string path)
    {
        lock (_lock)
        {
            foreach (var armed in _faults)
            {
                var fault = armed.Fault;
                if (armed.Remaining > 0
                    && (fault.CustomerId is null || fault.CustomerId == customerId)
                    && (fault.PathContains is null || path.Contains(fault.PathContains, StringComparison.OrdinalIgnoreCase)))
                {
                    // A request the fault lets pass may still meet another armed fault.
                    if (armed.Skipped < fault.SkipFirst)
                    {
                        armed.Skipped++;
                        continue;
                    }

                    armed.Remaining--;
                    return fault;
                }
            }

            return null;
        }
    }

    private sealed class Armed(InjectedFault fault, int remaining)
    {
        public InjectedFault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;

        public int Skipped { get; set; }
    }
}

/// <summary>A request as the simulator received it.</summary>
public sealed class RecordedRequest
{
    internal RecordedRequest(string method, string path, string route, string query, IReadOnlyDictionary<string, string> headers, DateTimeOffset receivedAt)
    {
        Method = method;
        Route = route;
        Path = path;
        Query = query;
        Headers = headers;
        ReceivedAt = receivedAt;
    }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The path, without the query.</summary>
    public string Path { get; }

    /// <summary>The route template it matched (/v1/customers/{customerId:guid}/subscriptions), or <see cref="RequestLog.UnmatchedRoute"/>.</summary>
    public string Route { get; }

    /// <summary>The query string, with its leading '?', or empty.</summary>
    public string Query { get; }

    /// <summary>The request headers (names case-insensitive; repeated headers joined with ", ").</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>When the request arrived, on the simulator's clock.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The status answered, once answered; null while in flight or when the connection was dropped.</summary>
    public int? StatusCode { get; internal set; }

    /// <summary>True when the simulator dropped the connection instead of answering.</summary>
    public bool Dropped { get; internal set; }

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.GetValueOrDefault(name);

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {Path}{Query} -> {(Dropped ? "dropped" : StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "-")}";
}

/// <summary>Every request the simulator received, in arrival order.</summary>
public sealed class RequestLog
{
    /// <summary>The route of requests that matched no route of the simulated API.</summary>
    public const string UnmatchedRoute = "(none)";

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, long> _byRoute = new(StringComparer.Ordinal);
    private long _count;

    /// <summary>How many requests arrived, recorded or not.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>
    /// How many requests arrived for a route template (such as /v1/customers/{customerId:guid}/subscriptions), recorded
    /// or not: a run's request budget per endpoint, even when <see cref="SimulatorOptions.RecordRequests"/> is off.
    /// </summary>
    public long CountFor(string route) => _byRoute.GetValueOrDefault(route);

    /// <summary>The requests so far per route template.</summary>
    public IReadOnlyDictionary<string, long> CountsByRoute() => new SortedDictionary<string, long>(_byRoute, StringComparer.Ordinal);

    /// <summary>A snapshot of the requests so far.</summary>
    public IReadOnlyList<RecordedRequest> Snapshot() => [.. _requests];

    /// <summary>Forgets the requests so far.</summary>
    public void Clear()
    {
        _requests.Clear();
        Interlocked.Exchange(ref _count, 0);
        _byRoute.Clear();
    }

    internal RecordedRequest Record(HttpRequest request, string route, bool keep, DateTimeOffset receivedAt)
    {
        Interlocked.Increment(ref _count);
        _byRoute.AddOrUpdate(route, 1, (_, n) => n + 1);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? string.Empty, route, request.QueryString.Value ?? string.Empty, headers, receivedAt);
        if (keep)
        {
            _requests.Enqueue(recorded);
        }

        return recorded;
    }
}

internal static class Bodies
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
