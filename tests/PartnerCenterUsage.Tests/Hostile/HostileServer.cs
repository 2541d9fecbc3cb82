using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>
/// A hostile or broken Partner Center: a real HTTP/1.1 server (Kestrel on a free loopback port) that answers each
/// request as the test scripts it, so the module's real HTTP client meets real sockets, chunking and connection reuse.
/// Unlike the simulator it knows nothing of the API: each request is answered by, in order,
/// <list type="number">
/// <item>the next answer queued with <see cref="Enqueue"/>, whatever the request;</item>
/// <item>else the first route of <see cref="On(string, Func{HostileRequest, HostileResponse})"/> whose text is in the path;</item>
/// <item>else the default script of <see cref="Answer(Func{HostileRequest, HostileResponse})"/>: 404 with no body until set.</item>
/// </list>
/// Every request is recorded in <see cref="Requests"/> before it is answered. Disposing aborts whatever is still in
/// flight (hung and endless answers included), so it is prompt.
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    private static readonly Func<HostileRequest, HostileResponse> NotFound = _ => HostileResponse.Status(404);

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<HostileRequest> _requests = [];
    private readonly List<(string PathContains, Func<HostileRequest, HostileResponse> Script)> _routes = [];
    private readonly ConcurrentQueue<HostileResponse> _queue = new();
    private Func<HostileRequest, HostileResponse> _default = NotFound;
    private int _inFlight;
    private int _maxInFlight;
    private int _disposed;

    private HostileServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        Clock = clock;
    }

    /// <summary>The base URL, http://127.0.0.1:port/, ending with '/'.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The clock that stamps <see cref="HostileRequest.ReceivedAt"/> and times drips and delays by default.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The requests received so far, in order of arrival: a snapshot, safe to read while requests arrive.</summary>
    public IReadOnlyList<HostileRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Requests being answered (or hung on) now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests in flight at once since the start.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Starts a server on a free loopback port; <paramref name="clock"/> is the system's when null.</summary>
    public static async Task<HostileServer> StartAsync(TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // HTTP/1.1 only, as the module speaks to Partner Center, so chunking and connection reuse are the real ones.
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.AddServerHeader = false;

            // The script decides how slow either side may be: Kestrel must not cut a client that stops reading an
            // endless body, nor a request whose answer drips, on its own timers.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
        });
        var app = builder.Build();
        var server = new HostileServer(app, clock ?? TimeProvider.System);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>An absolute URL on this server, from a path relative to <see cref="BaseAddress"/> (v1/customers?size=10).</summary>
    public Uri Url(string relative) => new(BaseAddress, relative);

    /// <summary>Sets the default script, for requests that no queued answer and no route takes.</summary>
    public void Answer(Func<HostileRequest, HostileResponse> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        Volatile.Write(ref _default, script);
    }

    /// <summary>Sets the default answer, the same for every request that no queued answer and no route takes.</summary>
    public void Answer(HostileResponse response) => Answer(_ => response);

    /// <summary>Adds a route: requests whose path contains <paramref name="pathContains"/> (in any casing) are answered by
    /// <paramref name="script"/>, unless an earlier route takes them first.</summary>
    public void On(string pathContains, Func<HostileRequest, HostileResponse> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        lock (_routes)
        {
            _routes.Add((pathContains, script));
        }
    }

    /// <summary>Adds a route that gives the same answer to every request it takes.</summary>
    public void On(string pathContains, HostileResponse response) => On(pathContains, _ => response);

    /// <summary>Queues answers for the next requests, one each, ahead of routes and the default script.</summary>
    public void Enqueue(params HostileResponse[] responses)
    {
        foreach (var response in responses)
        {
            _queue.Enqueue(response);
        }
    }

    /// <summary>
    /// Sets the default script to a throttling storm: 429 with <paramref name="retryAfter"/> to every request received
    /// before <paramref name="until"/> by <see cref="Clock"/>, then <paramref name="afterwards"/>
    /// (<see cref="HostileScripts.StormUntil"/>).
    /// </summary>
    public void StormUntil(DateTimeOffset until, string? retryAfter, Func<HostileRequest, HostileResponse> afterwards) =>
        Answer(HostileScripts.StormUntil(until, retryAfter, afterwards));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Every answer in flight aborts its own connection (HandleAsync): Kestrel then has nothing left to wait for.
        await _stopping.CancelAsync();

        // Only a guard: with nothing in flight, Kestrel closes its idle connections and stops at once.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(bound.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        HostileRequest? request = null;
        var outcome = HostileOutcome.Completed;
        Exception? error = null;
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            request = await RecordAsync(context, aborted.Token);

            // Counted once recorded, so that a test that sees InFlight == n finds the n requests in Requests.
            var inFlight = Interlocked.Increment(ref _inFlight);
            for (var max = Volatile.Read(ref _maxInFlight); inFlight > max && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max; max = Volatile.Read(ref _maxInFlight))
            {
            }

            var recorded = request;
            context.Response.OnStarting(() =>
            {
                // Kestrel also "starts" the default 200 of a request whose connection is gone (a hang the client left,
                // a drop), after the handler returned: nothing goes out then, and the record must not claim a status.
                if (!recorded.WasAborted && !context.RequestAborted.IsCancellationRequested)
                {
                    recorded.SetStatusCode(context.Response.StatusCode);
                }

                return Task.CompletedTask;
            });

            HostileResponse response;
            try
            {
                response = Choose(request) ?? throw new InvalidOperationException("The script answered null.");
            }
            catch (Exception scriptError)
            {
                // A broken script is the test's bug: the test sees it as a 500 and in Error, not as a Kestrel crash.
                error = scriptError;
                outcome = HostileOutcome.Failed;
                response = HostileResponse.Bytes(Encoding.UTF8.GetBytes($"HostileServer: the script threw {scriptError}"), "text/plain; charset=utf-8", 500);
            }

            await response.WriteAsync(context, request, Clock, aborted.Token);
            if (request.WasDropped)
            {
                outcome = HostileOutcome.Dropped;
            }
        }
        catch (Exception exception) when (aborted.IsCancellationRequested || exception is IOException)
        {
            outcome = request?.WasDropped == true ? HostileOutcome.Dropped
                : _stopping.IsCancellationRequested ? HostileOutcome.Stopped
                : HostileOutcome.ClientGone;
            request?.MarkAborted();
            if (_stopping.IsCancellationRequested)
            {
                context.Abort();
            }
        }
        catch (Exception exception)
        {
            // Recorded for the test (Outcome, Error); the connection goes, as a server's would on a bug.
            outcome = HostileOutcome.Failed;
            error = exception;
            request?.MarkAborted();
            context.Abort();
        }
        finally
        {
            if (request is not null)
            {
                Interlocked.Decrement(ref _inFlight);
                request.Finish(outcome, error);
            }
        }
    }

    private async Task<HostileRequest> RecordAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var receivedAt = Clock.GetUtcNow();
        var http = context.Request;
        using var reader = new StreamReader(http.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var headers = http.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var query = http.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_requests)
        {
            var request = new HostileRequest(
                _requests.Count + 1, http.Method, http.Path.Value ?? string.Empty, http.QueryString.Value ?? string.Empty,
                query, headers, body, receivedAt, context.Connection.Id);
            _requests.Add(request);
            return request;
        }
    }

    private HostileResponse Choose(HostileRequest request)
    {
        if (_queue.TryDequeue(out var queued))
        {
            return queued;
        }

        (string PathContains, Func<HostileRequest, HostileResponse> Script)[] routes;
        lock (_routes)
        {
            routes = [.. _routes];
        }

        foreach (var (pathContains, script) in routes)
        {
            if (request.Path.Contains(pathContains, StringComparison.OrdinalIgnoreCase))
            {
                return script(request);
            }
        }

        return Volatile.Read(ref _default)(request);
    }
}
