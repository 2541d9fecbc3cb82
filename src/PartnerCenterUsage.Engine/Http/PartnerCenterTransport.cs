using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Engine.Diagnostics;
using static PartnerCenterUsage.Engine.Http.TransportErrors;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// How every Partner Center request is sent, whatever endpoint it is for: the operation's throttle (a slot, any pause),
/// the connection's token (fetched once per attempt, renewed once after a 401), the headers, redirects on the API host
/// only, a bounded body read, and the retry policy, an explicit loop over <see cref="RequestState"/>:
/// <list type="number">
/// <item>Throttling (429) is waited out, as long as what is left of the operation's throttled time covers the whole wait (see
/// <see cref="Throttling.ThrottleGate"/>): the Retry-After the service asks for, or when it asks for none, 0 or more than
/// <see cref="PartnerCenterClientOptions.MaxRetryAfter"/>, a second doubling with each refusal of the same request. A wait
/// it cannot cover is not shortened: the request is given up at once, never sent before the time the service asked for,
/// and so is a request that would be sent during a pause of the operation that it cannot cover. These waits spend
/// neither the request's retries nor the operation's retry budget, which are for failures.</item>
/// <item>Each request takes at most <see cref="PartnerCenterClientOptions.MaxRequestDuration"/> of its own time (its
/// attempts and the backoff between them); each attempt at most <see cref="PartnerCenterClientOptions.RequestTimeout"/> of
/// what is left.</item>
/// <item>Failures (408, 5xx, no answer, a timed-out attempt) back off exponentially with jitter, up to
/// <see cref="PartnerCenterClientOptions.MaxRetryAttempts"/> retries per request in all (throttling between them does not
/// start the count again) and the operation's <see cref="Throttling.RetryBudget"/>.</item>
/// </list>
/// What still fails is a typed <see cref="PartnerCenterException"/>. Safe for concurrent use.
/// </summary>
internal sealed class PartnerCenterTransport : IDisposable
{
    private const int MaxRedirects = 3;
    private const int ReadChunkBytes = 81920;
    private readonly HttpClient _http;
    private readonly IAccessTokenProvider _tokens;
    private readonly PartnerCenterClientOptions _options;
    private readonly ResponseBudget _budget;

    static PartnerCenterTransport()
    {
        // On .NET Framework (Windows PowerShell 5.1) HttpClientHandler follows ServicePointManager, whose
        // default may lack TLS 1.2, which Partner Center requires. Add it, removing nothing the host enabled, and
        // leave the OS default (SystemDefault, 0) alone: it negotiates TLS 1.2 and later by itself.
        var protocols = ServicePointManager.SecurityProtocol;
        if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal)
            && protocols != 0 && (protocols & SecurityProtocolType.Tls12) == 0)
        {
            ServicePointManager.SecurityProtocol = protocols | SecurityProtocolType.Tls12;
        }
    }

    public PartnerCenterTransport(Uri baseAddress, IAccessTokenProvider tokens, PartnerCenterClientOptions options)
    {
        BaseAddress = baseAddress;
        _tokens = tokens;
        _options = options;
        _budget = new ResponseBudget(options.BufferedResponseBudget);
        var handler = _options.Handler ?? new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
            MaxConnectionsPerServer = 64,
            // Redirects are followed by SendOnceAsync, on the API host only: the bearer token goes nowhere else.
            AllowAutoRedirect = false,
        };

        // Timeouts are per attempt (see SendOnceAsync), so they can be told apart from the user's cancellation.
        _http = new HttpClient(handler, disposeHandler: _options.Handler is null) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The bytes of answers held at once, read and not yet parsed, by every request of the connection.</summary>
    internal ResponseBudget Budget => _budget;

    /// <summary>The API base URL, ending with a slash.</summary>
    public Uri BaseAddress { get; }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    /// <summary>Sends one request through the whole policy and returns its successful answer, or throws.</summary>
    /// <exception cref="PartnerCenterException">The request failed, was refused, or its answer is unusable.</exception>
    public async Task<PartnerCenterResponse> SendAsync(PartnerCenterRequest request, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        operation.ThrowIfTokenRefused();
        operation.Throttle.RetryBudget.Deposit();
        var state = new RequestState(request, operation);
        var final = await SendWithRetriesAsync(state, cancellationToken).ConfigureAwait(false);
        try
        {
            return Outcome(state, final);
        }
        finally
        {
            // Handed on when it succeeded; given back when it is thrown instead.
            final?.Response?.Release();
        }
    }

    // The answer the retries ended with, or the exception it is.
    private PartnerCenterResponse Outcome(RequestState state, Attempt? final)
    {
        var operation = state.Operation;

        // Given up for throttling before it could be sent (again), its last answer not a refusal, or no answer at all.
        if (state.Shortfall is not null && final?.IsThrottled != true)
        {
            throw NotSent(state, state.Shortfall);
        }

        if (final!.Failure is { } failure)
        {
            throw state.OutOfTime ? OutOfTime(state, _options.MaxRequestDuration, failure) : GaveUp(failure, state);
        }

        var response = final.Response!;
        var ids = new RequestIds(state.SentRequestId, operation.CorrelationId);
        if (!response.IsSuccess)
        {
            var error = Api(state, response, ids, ThrottleText(state) + GaveUpText(state), state.History.Count, operation.Redact, state.Shortfall);
            if (error.StatusCode == 401)
            {
                operation.TokenRefused(error);
            }

            throw error;
        }

        return new PartnerCenterResponse(response.Body, response.TakeLease(), ids.RequestIdText, ids.CorrelationIdText, operation.Redact);
    }

    // The retry policy: wait out refusals, retry failures, stop at the first answer that is neither, or when the policy
    // says no more. The attempt it returns is the last one sent; null when none was (the operation's throttling pause
    // outlasted its throttled time before the first send).
    private async Task<Attempt?> SendWithRetriesAsync(RequestState state, CancellationToken cancellationToken)
    {
        var log = state.Operation.Log;
        Attempt? last = null;
        while (true)
        {
            var attempt = await AttemptAsync(state, cancellationToken).ConfigureAwait(false);
            if (attempt is null)
            {
                // Not sent: the operation is paused for longer than its throttled time has left (state.Shortfall).
                return last;
            }

            last = attempt;
            TimeSpan delay;
            if (attempt.IsThrottled)
            {
                // Decided while the attempt held its slot (AttemptAsync).
                if (state.Shortfall is not null)
                {
                    return attempt;
                }

                delay = state.ThrottleWait(_options.TimeProvider);
                log.Write(PartnerCenterLogLevel.Verbose, string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} {1}: 429 Too Many Requests; waiting {2:0.0} s for Partner Center's throttling (MS-RequestId {3}).",
                    state.Method.Method, state.Path, delay.TotalSeconds, state.SentRequestId));
            }
            else if (attempt.IsFailure && state.TryRetryFailure(_options, out delay))
            {
                log.Write(PartnerCenterLogLevel.Verbose, string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} {1}: {2}; retry {3} of {4} in {5:0.0} s (MS-RequestId {6}).",
                    state.Method.Method, state.Path, attempt.Describe(), state.FailureRetries, _options.MaxRetryAttempts,
                    delay.TotalSeconds, state.SentRequestId));
            }
            else
            {
                return attempt;
            }

            if (delay > TimeSpan.Zero)
            {
                await _options.TimeProvider.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // One send of the request, with its slot; null, and nothing sent, when the operation's throttling pause outlasts what
    // is left of its throttled time (state.Shortfall says so).
    private async Task<Attempt?> AttemptAsync(RequestState state, CancellationToken cancellationToken)
    {
        var operation = state.Operation;
        var (lease, shortfall) = await operation.Throttle.EnterAsync(_options.TimeProvider, _options.MaxThrottleWait, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            state.GaveUp(shortfall!);
            return null;
        }

        using var slot = lease;
        operation.ThrowIfTokenRefused();

        // The backoff after a failure may have spent what was left of the request's own time.
        if (!state.HasTimeLeft(_options))
        {
            return new Attempt(TimedOut(state, new RequestIds(state.RequestId, operation.CorrelationId), null));
        }

        // Only the attempt itself is the request's own time: waiting for its turn or a pause is not.
        var attemptStarted = _options.TimeProvider.GetUtcNow();
        Attempt attempt;
        try
        {
            var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            if (state.Request.RequiresUser && token.Claims?.IsAppOnly == true)
            {
                throw new PartnerCenterAppOnlyTokenException(
                    "The connection's token was issued to an application without a user (App-only); Partner Center's license analytics accept App+User tokens only.");
            }

            var response = await SendOnceAsync(state, token, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == 401 && !response.IsMfaRefusal)
            {
                // An expired or revoked token: renew once and send again; a provider that cannot renew gives null.
                var renewed = await _tokens.RenewAsync(token, cancellationToken).ConfigureAwait(false);
                if (renewed is not null)
                {
                    operation.Log.Write(PartnerCenterLogLevel.Verbose, $"{state.Method.Method} {state.Path}: 401, sending again with a renewed token (MS-RequestId {state.SentRequestId}).");
                    // The refused send was a request the server saw: it counts among the attempts an error reports.
                    state.History.Add(new Attempt(response).Describe() + " (sent again with a renewed token)");
                    state.RequestId = Guid.NewGuid();
                    response = await SendOnceAsync(state, renewed, cancellationToken).ConfigureAwait(false);
                }
            }

            if (response.StatusCode == 401)
            {
                // Refused even after renewal (or not renewable): marked, with the refusal itself (an MFA refusal stays
                // one), before the slot is released, so that no request waiting for it is sent with the same token.
                operation.TokenRefused(Api(state, response, new RequestIds(state.SentRequestId, operation.CorrelationId), string.Empty, 1, operation.Redact));
            }

            attempt = new Attempt(response);
            if (attempt.IsThrottled)
            {
                slot.Throttled();

                // Decided before the slot is released: a refusal that closes the operation (a burst whose wait the
                // throttled time cannot cover) does so before a request waiting for the slot is sent into it.
                state.Throttled(response.RetryAfter, _options);
            }
            else
            {
                state.Answered();
                if (response.IsSuccess)
                {
                    slot.Succeeded();
                }

                if (operation.Throttle.Answered(_options.TimeProvider.GetUtcNow(), response.IsSuccess))
                {
                    operation.Log.Write(PartnerCenterLogLevel.Waiting, string.Empty);
                }
            }
        }
        catch (PartnerCenterTransportException ex)
        {
            attempt = new Attempt(ex);
        }

        state.Own += _options.TimeProvider.GetUtcNow() - attemptStarted;
        state.History.Add(attempt.Describe());
        if (attempt.Response is not null)
        {
            // Answered: a retry is a new request. Unanswered, it keeps its MS-RequestId (the server may have it).
            state.RequestId = Guid.NewGuid();
        }

        return attempt;
    }

    private async Task<RawResponse> SendOnceAsync(RequestState state, AccessToken token, CancellationToken cancellationToken)
    {
        var ids = new RequestIds(state.RequestId, state.Operation.CorrelationId);
        state.SentRequestId = state.RequestId;
        var log = state.Operation.Log;
        var continuationToken = state.Request.ContinuationToken;
        if (continuationToken is not null && !PartnerCenterHeaders.IsSafeValue(continuationToken))
        {
            // From a response body: CR/LF would smuggle a second request onto the connection, other bytes break the header.
            throw Invalid(ids, "The continuation token Partner Center gave for the next page holds characters an HTTP header cannot carry; it is not sent.");
        }

        state.AttemptTimeout = state.Remaining(_options) is var left && left < _options.RequestTimeout ? left : _options.RequestTimeout;
        using var attemptTimeout = _options.TimeProvider.CreateCancellationTokenSource(state.AttemptTimeout);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimeout.Token);
        var stopwatch = Stopwatch.StartNew();
        var target = state.Request.Uri;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(state.Method, target);
            state.Operation.Sending(token.Value);
            PartnerCenterHeaders.Apply(request, token.Value, ids.RequestId, ids.CorrelationId, _options.Locale);
            if (continuationToken is not null)
            {
                request.Headers.TryAddWithoutValidation(PartnerCenterHeaders.ContinuationToken, continuationToken);
            }

            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var headersElapsed = stopwatch.Elapsed;
                if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308)
                {
                    target = Redirected(target, response.Headers.Location, redirects, ids);
                    log.Write(PartnerCenterLogLevel.Verbose, string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2}: redirected to {3}",
                        state.Method.Method, state.Path, (int)response.StatusCode, target.AbsolutePath));
                    continue;
                }

                // The body's bytes are held against the connection's budget until it is parsed (a success, given back
                // by PartnerCenterResponse.Read) or, for any other answer, until it is read: an error keeps its head.
                byte[] body;
                var lease = _budget.Open();
                try
                {
                    // .NET Framework's response stream ignores the token once reading starts: disposing the response is
                    // what ends a stalled body there (Ctrl+C, the per-attempt timeout).
                    using (timeout.Token.Register(static r => ((HttpResponseMessage)r!).Dispose(), response))
                    {
                        body = await ReadBodyAsync(response, _options.MaxResponseBytes, lease, ids, state, timeout.Token).ConfigureAwait(false);
                    }
                }
                catch
                {
                    lease.Dispose();
                    throw;
                }

                // The reason phrase is the answer's text too: a careless service may echo the request into it, or send
                // what a terminal acts on (HTTP allows bytes 0x80-0xFF there, C1 controls once decoded), as may MS-CV.
                var raw = new RawResponse((int)response.StatusCode, VisibleText.Of(state.Operation.Redact(response.ReasonPhrase)), body, lease, RetryAfter(response, _options.TimeProvider), VisibleText.Of(Header(response, PartnerCenterHeaders.CorrelationVector)));
                log.Write(
                    PartnerCenterLogLevel.Verbose,
                    string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} {3} in {4:0} ms (MS-RequestId {5})",
                        state.Method.Method, state.Path, raw.StatusCode, raw.ReasonPhrase, stopwatch.Elapsed.TotalMilliseconds, ids.RequestId));
                log.Write(
                    PartnerCenterLogLevel.Debug,
                    string.Format(CultureInfo.InvariantCulture, "{0} {1}: {2} bytes, headers after {3:0} ms, body after {4:0} ms, MS-CorrelationId {5}, MS-CV {6}",
                        state.Method.Method, state.Path, body.Length, headersElapsed.TotalMilliseconds, stopwatch.Elapsed.TotalMilliseconds,
                        ids.CorrelationId, raw.CorrelationVector ?? "-"));
                return raw;
            }
            catch (Exception ex) when (IsUndecodable(ex))
            {
                // A body that cannot be decompressed is no answer a retry would mend.
                throw Invalid(ids, $"The answer to {state.Method.Method} {state.Path} could not be decoded: {Innermost(ex).Message}", ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(state, ids, ex);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or IOException && timeout.IsCancellationRequested)
            {
                // The response was disposed to end a stalled read: the caller's cancellation, or the attempt's timeout.
                cancellationToken.ThrowIfCancellationRequested();
                throw TimedOut(state, ids, ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw NoAnswer(state, ids, ex);
            }
        }
    }

    // A redirect is followed on the API's own host only, a few times: the bearer token must never reach another host.
    private Uri Redirected(Uri from, Uri? location, int redirects, RequestIds ids)
    {
        if (location is null)
        {
            throw Invalid(ids, $"Partner Center answered {from.AbsolutePath} with a redirect to nowhere (no Location).");
        }

        var to = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (!PartnerCenterRoutes.IsApiHost(BaseAddress, to))
        {
            throw Invalid(ids, $"Partner Center answered {from.AbsolutePath} with a redirect to {to.Scheme}://{to.Authority}, not to the API host; it is not followed.");
        }

        if (redirects >= MaxRedirects)
        {
            throw Invalid(ids, string.Format(CultureInfo.InvariantCulture, "Partner Center redirected {0} more than {1} times; the redirects are not followed further.", from.AbsolutePath, MaxRedirects));
        }

        return to;
    }

    private static bool IsUndecodable(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is InvalidDataException)
            {
                return true;
            }
        }

        return false;
    }

    // The body, read whole and no further than the cap, so that an endless answer costs a bounded amount of memory, each
    // part's bytes taken from the lease before it is made. With a Content-Length, into one array of that size, taken at
    // once (a buffer grown by doubling and copied out held up to three and a half times the body); without one, or past
    // it (a decompressed body a handler still gives the compressed length of), in chunks that grow with the body, from
    // 16 KB to 1 MB, copied once into the body. Always read through a small buffer of its own, never into the body: a
    // connection kept alive for the next request keeps the last buffer its socket read into, which kept every body read
    // whole alive, out of any budget. netstandard2.0 has no ReadAsByteArrayAsync(CancellationToken), and it would do none
    // of this.
    private async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, long maxBytes, ResponseBudget.Lease lease, RequestIds ids, RequestState state, CancellationToken cancellationToken)
    {
        var declared = response.Content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw TooLarge(ids, maxBytes);
        }

        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        var chunks = new List<byte[]>();
        var free = 0;
        if (declared is { } length)
        {
            await TakeAsync(lease, length, state, cancellationToken).ConfigureAwait(false);
            chunks.Add(new byte[length]);
            free = (int)length;
        }

        var buffer = new byte[Math.Max(1, Math.Min(declared ?? ReadChunkBytes, ReadChunkBytes))];
        var total = 0L;
        while (true)
        {
            var read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return await JoinedAsync(chunks, total, lease, state, cancellationToken).ConfigureAwait(false);
            }

            if (total + read > maxBytes)
            {
                throw TooLarge(ids, maxBytes);
            }

            for (var copied = 0; copied < read;)
            {
                if (free == 0)
                {
                    var size = chunks.Count == 0 ? 16384 : (int)Math.Min(1L << 20, Math.Max(16384L, chunks[chunks.Count - 1].Length * 2L));
                    await TakeAsync(lease, size, state, cancellationToken).ConfigureAwait(false);
                    chunks.Add(new byte[size]);
                    free = size;
                }

                var chunk = chunks[chunks.Count - 1];
                var count = Math.Min(free, read - copied);
                Buffer.BlockCopy(buffer, copied, chunk, chunk.Length - free, count);
                free -= count;
                copied += count;
                total += count;
            }
        }
    }

    // The chunks as one body, the chunks' bytes given back once it is made.
    private async Task<byte[]> JoinedAsync(List<byte[]> chunks, long length, ResponseBudget.Lease lease, RequestState state, CancellationToken cancellationToken)
    {
        if (chunks.Count == 1 && length == chunks[0].Length)
        {
            return chunks[0];
        }

        // The body is made while the chunks are still held: for that moment the answer holds both.
        await TakeAsync(lease, length, state, cancellationToken).ConfigureAwait(false);
        var body = new byte[length];
        var at = 0L;
        var chunked = 0L;
        foreach (var chunk in chunks)
        {
            var count = (int)Math.Min(chunk.Length, length - at);
            Array.Copy(chunk, 0, body, at, count);
            at += count;
            chunked += chunk.Length;
        }

        chunks.Clear();
        lease.Give(chunked);
        return body;
    }

    // Bytes for the body from the connection's budget; a wait for them is said in -Verbose, once an answer.
    private async Task TakeAsync(ResponseBudget.Lease lease, long bytes, RequestState state, CancellationToken cancellationToken)
    {
        var take = lease.TakeAsync(bytes, cancellationToken);
        if (!take.IsCompleted && !lease.Waited)
        {
            lease.Waited = true;
            state.Operation.Log.Write(PartnerCenterLogLevel.Verbose, string.Format(
                CultureInfo.InvariantCulture,
                "{0} {1}: waiting for {2:0.0} MB of answers already read to be parsed before reading {3:0.0} MB more of this one (the connection holds {4:0.0} MB of answers at once).",
                state.Method.Method, state.Path, _budget.Held / 1048576.0, bytes / 1048576.0, _budget.Capacity / 1048576.0));
        }

        await take.ConfigureAwait(false);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider clock)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
