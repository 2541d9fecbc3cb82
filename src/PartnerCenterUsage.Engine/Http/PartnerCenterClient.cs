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
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Models;
using Polly;
using static PartnerCenterUsage.Engine.Http.ResiliencePolicy;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// The Partner Center REST client. Every request goes through <see cref="SendAsync"/>: the operation's limit of
/// requests in flight, the connection's token (renewed once after a 401), the headers, the one retry policy
/// (<see cref="ResiliencePolicy"/>), and typed exceptions for what still fails. Safe for concurrent use.
/// </summary>
public sealed class PartnerCenterClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly IAccessTokenProvider _tokens;
    private readonly PartnerCenterClientOptions _options;
    private readonly ResiliencePipeline<Attempt> _resilience;

    static PartnerCenterClient()
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

    /// <summary>Creates a client for the API at <paramref name="baseAddress"/> (ending with a slash).</summary>
    public PartnerCenterClient(Uri baseAddress, IAccessTokenProvider tokens, PartnerCenterClientOptions? options = null)
    {
        _baseAddress = baseAddress ?? throw new ArgumentNullException(nameof(baseAddress));
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _options = options ?? new PartnerCenterClientOptions();
        _resilience = ResiliencePolicy.Create(_options);
        var handler = _options.Handler ?? new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
            MaxConnectionsPerServer = 64,
        };

        // Timeouts are per attempt (see SendOnceAsync), so they can be told apart from the user's cancellation.
        _http = new HttpClient(handler, disposeHandler: _options.Handler is null) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, PartnerCustomer> _seen = new();

    /// <summary>The API base URL.</summary>
    public Uri BaseAddress => _baseAddress;

    /// <summary>The customers this client has seen (listed, looked up, or named in usage rows), for completion.</summary>
    public IReadOnlyCollection<PartnerCustomer> SeenCustomers => _seen.Values.ToList();

    private void Remember(PartnerCustomer customer) => _seen[customer.CustomerId] = customer;

    private void Remember(Guid customerId, string? companyName) =>
        _seen.TryAdd(customerId, new PartnerCustomer { CustomerId = customerId, CompanyName = companyName });

    /// <summary>Gets the license usage rows of one customer, all of them or an exception.</summary>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public async Task<IReadOnlyList<CustomerLicenseUsage>> GetCustomerLicenseUsageAsync(
        Guid customerId, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, new Uri(_baseAddress, PartnerCenterRoutes.CustomerLicensesUsage(customerId)), operation, cancellationToken)
            .ConfigureAwait(false);
        var rows = response.Read(body => PartnerCenterJson.ReadCollection<CustomerLicenseUsage>(body, "the license usage request for customer " + customerId.ToString("D", CultureInfo.InvariantCulture)));
        foreach (var row in rows)
        {
            if (row.CustomerId == Guid.Empty)
            {
                row.CustomerId = customerId;
            }
        }

        Remember(customerId, rows.Count > 0 ? rows[0].CustomerName : null);
        return rows;
    }

    /// <summary>Gets one customer.</summary>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public async Task<PartnerCustomer> GetCustomerAsync(Guid customerId, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, new Uri(_baseAddress, PartnerCenterRoutes.Customer(customerId)), operation, cancellationToken, requiresUser: false)
            .ConfigureAwait(false);
        var customer = response.Read(body => PartnerCenterJson.ReadObject<CustomerJson>(body, "the customer request")).ToCustomer();
        Remember(customer);
        return customer;
    }

    /// <summary>
    /// The partner's customers, a page at a time as each arrives: the next page is requested only when the caller
    /// asks for it, so a long listing streams in constant memory.
    /// </summary>
    public CustomerPager ListCustomers(CustomerFilter? filter, PartnerCenterOperation operation) => new(this, filter, operation);

    /// <summary>Reads the pages of a customer listing, following links.next with its continuation token.</summary>
    public sealed class CustomerPager
    {
        private readonly PartnerCenterClient _client;
        private readonly PartnerCenterOperation _operation;
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private Uri? _next;
        private string? _continuation;
        private bool _looped;

        internal CustomerPager(PartnerCenterClient client, CustomerFilter? filter, PartnerCenterOperation operation)
        {
            _client = client;
            _operation = operation;
            _next = new Uri(client._baseAddress, PartnerCenterRoutes.Customers(PartnerCenterRoutes.CustomerPageSize, filter));
        }

        /// <summary>The next page; null after the last one.</summary>
        /// <exception cref="PartnerCenterException">A page request failed or its answer is unusable.</exception>
        public async Task<IReadOnlyList<PartnerCustomer>?> NextPageAsync(CancellationToken cancellationToken)
        {
            if (_looped)
            {
                throw new PartnerCenterInvalidResponseException("The customer list points back to a page already read; the listing is stopped to avoid a loop.");
            }

            if (_next is null)
            {
                return null;
            }

            var response = await _client.SendAsync(HttpMethod.Get, _next, _operation, cancellationToken, requiresUser: false, _continuation).ConfigureAwait(false);
            var page = response.Read(body => PartnerCenterJson.ReadCollection<CustomerJson>(body, "the customer list request"));
            var paging = response.Read(body => PartnerCenterJson.ReadObject<PagingJson>(body, "the customer list request"));
            var next = paging.Links?.Next;
            if (string.IsNullOrEmpty(next?.Uri))
            {
                _next = null;
            }
            else
            {
                _next = PartnerCenterRoutes.ResolveNextLink(_client._baseAddress, next!.Uri!);
                _continuation = next.Headers?.FirstOrDefault(h => string.Equals(h.Key, PartnerCenterHeaders.ContinuationToken, StringComparison.OrdinalIgnoreCase))?.Value
                    ?? paging.ContinuationToken;
                // Written first: the customers of this page are real; the next call reports the loop.
                _looped = !_seen.Add(_next + "|" + _continuation);
            }

            var customers = page.Select(c => c.ToCustomer()).ToList();
            customers.ForEach(_client.Remember);
            return customers;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private async Task<PartnerCenterResponse> SendAsync(
        HttpMethod method, Uri uri, PartnerCenterOperation operation, CancellationToken cancellationToken, bool requiresUser = true, string? continuationToken = null)
    {
        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        if (requiresUser && token.Claims?.IsAppOnly == true)
        {
            throw new PartnerCenterAppOnlyTokenException(
                "The connection's token was issued to an application without a user (App-only). Partner Center's license analytics " +
                "accept App+User tokens only: connect with -UseDeviceAuthentication, interactively, or with the Secure Application Model.");
        }

        operation.RetryBudget.Deposit();
        var request = new RequestState(method, uri.AbsolutePath, operation);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        Attempt final;
        try
        {
            final = await _resilience.ExecuteAsync(
                static (ctx, state) => state.Client.AttemptAsync(state.Uri, state.Continuation, ctx.Properties.GetValue(RequestKey, null!), ctx.CancellationToken),
                context,
                (Client: this, Uri: uri, Continuation: continuationToken)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        var attempts = request.History.Count;
        var gaveUp = attempts > 1 ? string.Format(CultureInfo.InvariantCulture, " Gave up after {0} attempts ({1}).", attempts, string.Join(", ", request.History)) : string.Empty;
        var ids = new RequestIds(request.SentRequestId, operation.CorrelationId);
        if (final.Failure is { } failure)
        {
            throw attempts > 1
                ? new PartnerCenterTransportException(failure.Message + gaveUp, failure.IsTimeout, failure.InnerException)
                { RequestId = failure.RequestId, CorrelationId = failure.CorrelationId, Attempts = attempts }
                : failure;
        }

        var response = final.Response!;
        if (!response.IsSuccess)
        {
            throw CreateApiException(method, uri, response, ids, gaveUp, attempts);
        }

        return new PartnerCenterResponse(response.Body, ids);
    }

    private async ValueTask<Attempt> AttemptAsync(Uri uri, string? continuationToken, RequestState request, CancellationToken cancellationToken)
    {
        var operation = request.Operation;
        using (var slot = await operation.Limiter.AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            Attempt attempt;
            try
            {
                var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
                var response = await SendOnceAsync(request, uri, token, continuationToken, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == 401 && !IsMfaRefusal(response))
                {
                    // An expired or revoked token: renew once and send again; a provider that cannot renew gives null.
                    var renewed = await _tokens.RenewAsync(token, cancellationToken).ConfigureAwait(false);
                    if (renewed is not null)
                    {
                        operation.Log.Write(PartnerCenterLogLevel.Verbose, $"{request.Method.Method} {request.Path}: 401, sending again with a renewed token (MS-RequestId {request.SentRequestId}).");
                        request.RequestId = Guid.NewGuid();
                        response = await SendOnceAsync(request, uri, renewed, continuationToken, cancellationToken).ConfigureAwait(false);
                    }
                }

                attempt = new Attempt(response);
                if (response.StatusCode == 429)
                {
                    slot.Throttled();
                }
                else if (response.IsSuccess)
                {
                    slot.Succeeded();
                }
            }
            catch (PartnerCenterTransportException ex)
            {
                attempt = new Attempt(ex);
            }

            request.History.Add(attempt.Describe());
            if (attempt.Response is not null)
            {
                // Answered: a retry is a new request. Unanswered, it keeps its MS-RequestId (the server may have it).
                request.RequestId = Guid.NewGuid();
            }

            return attempt;
        }
    }

    private async Task<RawResponse> SendOnceAsync(
        RequestState state, Uri uri, AccessToken token, string? continuationToken, CancellationToken cancellationToken)
    {
        var ids = new RequestIds(state.RequestId, state.Operation.CorrelationId);
        state.SentRequestId = state.RequestId;
        var log = state.Operation.Log;
        using var request = new HttpRequestMessage(state.Method, uri);
        PartnerCenterHeaders.Apply(request, token.Value, ids.RequestId, ids.CorrelationId, _options.Locale);
        if (continuationToken is not null)
        {
            request.Headers.TryAddWithoutValidation(PartnerCenterHeaders.ContinuationToken, continuationToken);
        }

        using var attemptTimeout = _options.TimeProvider.CreateCancellationTokenSource(_options.RequestTimeout);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimeout.Token);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var headersElapsed = stopwatch.Elapsed;

            // .NET Framework's response stream ignores the token once reading starts: disposing the response is what
            // ends a stalled body there (Ctrl+C, the per-attempt timeout).
            byte[] body;
            using (timeout.Token.Register(static r => ((HttpResponseMessage)r!).Dispose(), response))
            {
                body = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
            }
            var raw = new RawResponse((int)response.StatusCode, response.ReasonPhrase, body, RetryAfter(response, _options.TimeProvider), Header(response, PartnerCenterHeaders.CorrelationVector));
            log.Write(
                PartnerCenterLogLevel.Verbose,
                string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} {3} in {4:0} ms (MS-RequestId {5})",
                    state.Method.Method, uri.AbsolutePath, raw.StatusCode, raw.ReasonPhrase, stopwatch.Elapsed.TotalMilliseconds, ids.RequestId));
            log.Write(
                PartnerCenterLogLevel.Debug,
                string.Format(CultureInfo.InvariantCulture, "{0} {1}: {2} bytes, headers after {3:0} ms, body after {4:0} ms, MS-CorrelationId {5}, MS-CV {6}",
                    state.Method.Method, uri.AbsolutePath, body.Length, headersElapsed.TotalMilliseconds, stopwatch.Elapsed.TotalMilliseconds,
                    ids.CorrelationId, raw.CorrelationVector ?? "-"));
            return raw;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PartnerCenterTransportException(
                string.Format(CultureInfo.InvariantCulture, "{0} {1} timed out after {2:0} s. MS-RequestId: {3}, MS-CorrelationId: {4}.",
                    state.Method.Method, uri.AbsolutePath, _options.RequestTimeout.TotalSeconds, ids.RequestId, ids.CorrelationId),
                isTimeout: true,
                ex)
            { RequestId = ids.RequestIdText, CorrelationId = ids.CorrelationIdText };
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException && timeout.IsCancellationRequested)
        {
            // The response was disposed to end a stalled read: the caller's cancellation, or the attempt's timeout.
            cancellationToken.ThrowIfCancellationRequested();
            throw new PartnerCenterTransportException(
                string.Format(CultureInfo.InvariantCulture, "{0} {1} timed out after {2:0} s. MS-RequestId: {3}, MS-CorrelationId: {4}.",
                    state.Method.Method, uri.AbsolutePath, _options.RequestTimeout.TotalSeconds, ids.RequestId, ids.CorrelationId),
                isTimeout: true,
                ex)
            { RequestId = ids.RequestIdText, CorrelationId = ids.CorrelationIdText };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new PartnerCenterTransportException(
                $"{state.Method.Method} {uri.AbsolutePath} failed before Partner Center answered: {Innermost(ex).Message} MS-RequestId: {ids.RequestId}, MS-CorrelationId: {ids.CorrelationId}.",
                isTimeout: false,
                ex)
            { RequestId = ids.RequestIdText, CorrelationId = ids.CorrelationIdText };
        }
    }

    private static bool IsMfaRefusal(RawResponse response) =>
        PartnerCenterJson.ReadError(response.Body).Code == PartnerCenterErrorCodes.MfaRequired;

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // netstandard2.0 has no ReadAsByteArrayAsync(CancellationToken): copy with the token instead.
        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static PartnerCenterApiException CreateApiException(HttpMethod method, Uri uri, RawResponse response, RequestIds ids, string gaveUp, int attempts)
    {
        var (code, description) = PartnerCenterJson.ReadError(response.Body);
        if (code is null && description is null && response.Body.Length > 0)
        {
            description = BodyText.Excerpt(response.Body);
        }

        var detail = (code, description) switch
        {
            (null, null) => string.Empty,
            (null, _) => $": {description}",
            (_, null) => $": code {code}",
            _ => $": code {code}, {description}",
        };
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "Partner Center answered {0} {1} to {2} {3}{4} MS-RequestId: {5}, MS-CorrelationId: {6}.{7}",
            response.StatusCode, response.ReasonPhrase, method.Method, uri.AbsolutePath, detail.Length == 0 ? "." : detail.TrimEnd('.') + ".",
            ids.RequestId, ids.CorrelationId, gaveUp);
        return new PartnerCenterApiException(message, response.StatusCode, code, description)
        {
            RequestId = ids.RequestIdText,
            CorrelationId = ids.CorrelationIdText,
            CorrelationVector = response.CorrelationVector,
            RetryAfter = response.RetryAfter,
            Attempts = attempts,
        };
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

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    private readonly struct RequestIds(Guid requestId, Guid correlationId)
    {
        public Guid RequestId { get; } = requestId;

        public Guid CorrelationId { get; } = correlationId;

        public string RequestIdText => RequestId.ToString("D", CultureInfo.InvariantCulture);

        public string CorrelationIdText => CorrelationId.ToString("D", CultureInfo.InvariantCulture);
    }

    private sealed class PartnerCenterResponse(byte[] body, RequestIds ids)
    {
        /// <summary>Reads the body; an unusable one names the request's ids.</summary>
        public T Read<T>(Func<byte[], T> read)
        {
            try
            {
                return read(body);
            }
            catch (PartnerCenterInvalidResponseException ex)
            {
                throw new PartnerCenterInvalidResponseException(
                    $"{ex.Message} MS-RequestId: {ids.RequestId}, MS-CorrelationId: {ids.CorrelationId}.", ex.InnerException)
                { RequestId = ids.RequestIdText, CorrelationId = ids.CorrelationIdText };
            }
        }
    }
}
