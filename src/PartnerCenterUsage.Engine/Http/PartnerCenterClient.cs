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
            // Redirects are followed by SendOnceAsync, on the API host only: the bearer token goes nowhere else.
            AllowAutoRedirect = false,
        };

        // Timeouts are per attempt (see SendOnceAsync), so they can be told apart from the user's cancellation.
        _http = new HttpClient(handler, disposeHandler: _options.Handler is null) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, PartnerCustomer> _seen = new();
    private volatile string? _commercialRoot;

    /// <summary>The API base URL.</summary>
    public Uri BaseAddress => _baseAddress;

    /// <summary>The customers this client has seen (listed, looked up, or named in usage rows), for completion.</summary>
    public IReadOnlyCollection<PartnerCustomer> SeenCustomers => _seen.Values.ToList();

    private void Remember(PartnerCustomer customer)
    {
        if (customer.CustomerId is { } id)
        {
            _seen[id] = customer;
        }
    }

    private void Remember(Guid customerId, string? companyName) =>
        _seen.TryAdd(customerId, new PartnerCustomer { CustomerId = customerId, CompanyName = companyName });

    private void RememberRow(Guid? customerId, string? companyName)
    {
        if (customerId is { } id && !_seen.ContainsKey(id))
        {
            Remember(id, companyName);
        }
    }

    /// <summary>Gets the license usage rows of one customer, all of them or an exception.</summary>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public Task<IReadOnlyList<CustomerLicenseUsage>> GetCustomerLicenseUsageAsync(
        Guid customerId, PartnerCenterOperation operation, CancellationToken cancellationToken) =>
        GetCustomerCollectionAsync<LicenseUsageJson, CustomerLicenseUsage>(
            customerId, PartnerCenterRoutes.CustomerLicensesUsage(customerId), "the license usage", operation, cancellationToken,
            r => r.ToModel(null), (row, id, name) => (row.CustomerId, row.CustomerName) = (row.CustomerId ?? id, row.CustomerName ?? name), row => row.CustomerName);

    /// <summary>Gets the license deployment rows of one customer, all of them or an exception.</summary>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public Task<IReadOnlyList<CustomerLicenseDeployment>> GetCustomerLicenseDeploymentAsync(
        Guid customerId, PartnerCenterOperation operation, CancellationToken cancellationToken) =>
        GetCustomerCollectionAsync<LicenseDeploymentJson, CustomerLicenseDeployment>(
            customerId, PartnerCenterRoutes.CustomerLicensesDeployment(customerId), "the license deployment", operation, cancellationToken,
            r => r.ToModel(null), (row, id, name) => (row.CustomerId, row.CustomerName) = (row.CustomerId ?? id, row.CustomerName ?? name), row => row.CustomerName);

    /// <summary>
    /// Gets the SKUs one customer subscribes to, with their units (live counts, not analytics), all of them or an
    /// exception; of the license groups given, or of the default group when none is.
    /// </summary>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public Task<IReadOnlyList<CustomerSubscribedSku>> GetCustomerSubscribedSkusAsync(
        Guid customerId, IReadOnlyCollection<string>? licenseGroups, PartnerCenterOperation operation, CancellationToken cancellationToken) =>
        GetCustomerCollectionAsync<SubscribedSkuJson, CustomerSubscribedSku>(
            customerId, PartnerCenterRoutes.CustomerSubscribedSkus(customerId, licenseGroups), "the subscribed SKUs", operation, cancellationToken,
            r => r.ToModel(), (row, id, name) => (row.CustomerId, row.CustomerName) = (row.CustomerId ?? id, row.CustomerName ?? name), row => row.CustomerName);

    /// <summary>
    /// One customer's collection, all of it or an exception. Such collections are not documented as paged, but they are
    /// read by the pager all the same: should one ever link to a next page, those rows are not lost. Each row gets the
    /// customer's id when the answer leaves it out, and the name the connection knows the customer by (from a listing
    /// or an earlier answer), if any.
    /// </summary>
    private async Task<IReadOnlyList<TModel>> GetCustomerCollectionAsync<TWire, TModel>(
        Guid customerId, string route, string subject, PartnerCenterOperation operation, CancellationToken cancellationToken,
        Func<TWire, TModel> map, Action<TModel, Guid, string?> stamp, Func<TModel, string?> customerName)
        where TWire : class
        where TModel : class
    {
        var what = subject + " of customer " + customerId.ToString("D", CultureInfo.InvariantCulture);
        var pager = new PartnerCenterPager<TModel>(this, operation, new PartnerCenterPager<TModel>.Listing(
            what,
            EnvelopeShape.Classic,
            requiresUser: true,
            async (client, op, ct) =>
            {
                var uri = new Uri(client._baseAddress, route);
                return (await client.SendAsync(HttpMethod.Get, uri, op, ct, customer: customerId).ConfigureAwait(false), uri);
            },
            body => PartnerCenterJson.ReadPage(body, EnvelopeShape.Classic, what + " request", map)));
        var rows = new List<TModel>();
        while (await pager.NextPageAsync(cancellationToken).ConfigureAwait(false) is { } page)
        {
            rows.AddRange(page);
        }

        var knownName = _seen.TryGetValue(customerId, out var known) ? known.CompanyName : null;
        foreach (var row in rows)
        {
            stamp(row, customerId, knownName);
        }

        Remember(customerId, rows.Count > 0 ? customerName(rows[0]) : null);
        return rows;
    }

    /// <summary>Gets one customer.</summary>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public async Task<PartnerCustomer> GetCustomerAsync(Guid customerId, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, new Uri(_baseAddress, PartnerCenterRoutes.Customer(customerId)), operation, cancellationToken, requiresUser: false, customer: customerId)
            .ConfigureAwait(false);
        IReadOnlyList<UnreadableValue> unreadable = Array.Empty<UnreadableValue>();
        var customer = response.Read(body => PartnerCenterJson.ReadObject<CustomerJson>(body, "the customer request", out unreadable)).ToCustomer();
        operation.NoteUnreadable(unreadable);
        customer.CustomerId ??= customerId;
        Remember(customer);
        return customer;
    }

    /// <summary>
    /// The partner's customers, a page at a time as the caller asks for them; a customer a later page lists again is
    /// not listed twice.
    /// </summary>
    public PartnerCenterPager<PartnerCustomer> ListCustomers(CustomerFilter? filter, PartnerCenterOperation operation)
    {
        var listed = new HashSet<Guid>();
        return new(this, operation, new PartnerCenterPager<PartnerCustomer>.Listing(
            "the customer list",
            EnvelopeShape.Classic,
            requiresUser: false,
            async (client, op, ct) =>
            {
                var uri = new Uri(client._baseAddress, PartnerCenterRoutes.Customers(PartnerCenterRoutes.CustomerPageSize, filter));
                return (await client.SendAsync(HttpMethod.Get, uri, op, ct, requiresUser: false).ConfigureAwait(false), uri);
            },
            body =>
            {
                var page = PartnerCenterJson.ReadPage<CustomerJson, PartnerCustomer>(body, EnvelopeShape.Classic, "the customer list request", c => c.ToCustomer());
                var fresh = page.Items.Where(c => c.CustomerId is not { } id || listed.Add(id)).ToList();
                fresh.ForEach(Remember);
                return new Page<PartnerCustomer>(fresh, page.TotalCount, page.NextLink, page.ContinuationToken) { Unreadable = page.Unreadable };
            }));
    }

    /// <summary>
    /// The commercial analytics' license usage rows of the whole portfolio (or of what <paramref name="query"/>
    /// selects), a page of up to 10,000 rows at a time.
    /// </summary>
    /// <exception cref="ArgumentException">The query uses a field the usage rows do not have.</exception>
    public PartnerCenterPager<CustomerLicenseUsage> ListLicenseUsage(CommercialQuery query, PartnerCenterOperation operation) =>
        ListCommercial<LicenseUsageJson, CustomerLicenseUsage>(CommercialReport.Usage, "the license usage report", query, operation, r =>
        {
            var row = r.ToModel(query.GroupBy);
            RememberRow(row.CustomerId, row.CustomerName);
            return row;
        });

    /// <summary>The commercial analytics' license deployment rows of the whole portfolio, as <see cref="ListLicenseUsage"/>.</summary>
    /// <exception cref="ArgumentException">The query uses a field the deployment rows do not have.</exception>
    public PartnerCenterPager<CustomerLicenseDeployment> ListLicenseDeployment(CommercialQuery query, PartnerCenterOperation operation) =>
        ListCommercial<LicenseDeploymentJson, CustomerLicenseDeployment>(CommercialReport.Deployment, "the license deployment report", query, operation, r =>
        {
            var row = r.ToModel(query.GroupBy);
            RememberRow(row.CustomerId, row.CustomerName);
            return row;
        });

    /// <summary>
    /// The partner's license usage aggregated over all its customers, one row per workload, service and channel
    /// (PartnerLicensesUsageInsights). Not documented as paged, but read by the pager: a next page, should the service
    /// ever link to one, is followed.
    /// </summary>
    public PartnerCenterPager<PartnerLicenseUsage> ListPartnerLicenseUsage(PartnerCenterOperation operation) =>
        ListPartnerAggregate<PartnerLicenseUsageJson, PartnerLicenseUsage>(
            PartnerCenterRoutes.PartnerLicensesUsage, "the partner's license usage", operation, r => r.ToModel());

    /// <summary>
    /// The partner's license deployment aggregated over all its customers, one row per product, service and channel
    /// (PartnerLicensesDeploymentInsights), as <see cref="ListPartnerLicenseUsage"/>.
    /// </summary>
    public PartnerCenterPager<PartnerLicenseDeployment> ListPartnerLicenseDeployment(PartnerCenterOperation operation) =>
        ListPartnerAggregate<PartnerLicenseDeploymentJson, PartnerLicenseDeployment>(
            PartnerCenterRoutes.PartnerLicensesDeployment, "the partner's license deployment", operation, r => r.ToModel());

    // A partner-wide aggregate: a classic collection about no single customer, App+User only.
    private PartnerCenterPager<TModel> ListPartnerAggregate<TWire, TModel>(
        string route, string what, PartnerCenterOperation operation, Func<TWire, TModel> map)
        where TWire : class
        where TModel : class =>
        new(this, operation, new PartnerCenterPager<TModel>.Listing(
            what,
            EnvelopeShape.Classic,
            requiresUser: true,
            async (client, op, ct) =>
            {
                var uri = new Uri(client._baseAddress, route);
                return (await client.SendAsync(HttpMethod.Get, uri, op, ct).ConfigureAwait(false), uri);
            },
            body => PartnerCenterJson.ReadPage(body, EnvelopeShape.Classic, what + " request", map)));

    private PartnerCenterPager<TModel> ListCommercial<TWire, TModel>(
        CommercialReport report, string what, CommercialQuery query, PartnerCenterOperation operation, Func<TWire, TModel> map)
        where TWire : class
        where TModel : class
    {
        (query ?? throw new ArgumentNullException(nameof(query))).Validate(report);
        return new PartnerCenterPager<TModel>(this, operation, new PartnerCenterPager<TModel>.Listing(
            what,
            EnvelopeShape.Commercial,
            requiresUser: true,
            (client, op, ct) => client.SendCommercialAsync(report, query, op, ct),
            body => PartnerCenterJson.ReadPage(body, EnvelopeShape.Commercial, what + " request", map)));
    }

    /// <summary>
    /// Sends the first request of a commercial report. The documentation's syntax says <c>v1/analytics/...</c>, its own
    /// examples call <c>partner/v1/analytics/...</c>: the documented form is asked first, and when the service answers
    /// it with a 404 that is not a Partner Center error (a route it does not know), the other; the form that answered
    /// is kept for the connection's later requests.
    /// </summary>
    private async Task<(PartnerCenterResponse Response, Uri Requested)> SendCommercialAsync(
        CommercialReport report, CommercialQuery query, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var known = _commercialRoot;
        var roots = known is null ? new[] { PartnerCenterRoutes.DocumentedRoot, PartnerCenterRoutes.PartnerRoot } : new[] { known };
        for (var i = 0; ; i++)
        {
            var uri = new Uri(_baseAddress, PartnerCenterRoutes.Commercial(roots[i], report, query));
            try
            {
                var response = await SendAsync(HttpMethod.Get, uri, operation, cancellationToken).ConfigureAwait(false);
                _commercialRoot = roots[i];
                return (response, uri);
            }
            catch (PartnerCenterApiException ex) when (ex.StatusCode == 404 && !ex.HasErrorBody && i + 1 < roots.Length)
            {
                operation.Log.Write(PartnerCenterLogLevel.Verbose, $"{uri.AbsolutePath} is not a route of this service; trying /{roots[i + 1]}analytics/commercial/...");
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Sends one request through the whole pipeline and returns its successful answer, or throws. <paramref name="customer"/>
    /// says which customer the request is about, when it is about one: a 404 then means that customer is unknown.
    /// </summary>
    internal async Task<PartnerCenterResponse> SendAsync(
        HttpMethod method, Uri uri, PartnerCenterOperation operation, CancellationToken cancellationToken, bool requiresUser = true,
        string? continuationToken = null, Guid? customer = null)
    {
        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        if (requiresUser && token.Claims?.IsAppOnly == true)
        {
            throw new PartnerCenterAppOnlyTokenException(
                "The connection's token was issued to an application without a user (App-only). Partner Center's license analytics " +
                "accept App+User tokens only: connect with -UseDeviceAuthentication, interactively, or with the Secure Application Model.");
        }

        operation.ThrowIfTokenRefused();
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

        if (request.OutOfTime && final.Failure is { } lastFailure)
        {
            throw new PartnerCenterTransportException(
                string.Format(CultureInfo.InvariantCulture, "{0} {1} got no usable answer within {2:0} s ({3} attempts: {4}). MS-RequestId: {5}, MS-CorrelationId: {6}.",
                    method.Method, uri.AbsolutePath, _options.MaxRequestDuration.TotalSeconds, request.History.Count, History(request.History),
                    request.SentRequestId, operation.CorrelationId),
                isTimeout: true,
                lastFailure)
            {
                RequestId = request.SentRequestId.ToString("D", CultureInfo.InvariantCulture),
                CorrelationId = operation.CorrelationId.ToString("D", CultureInfo.InvariantCulture),
                Attempts = request.History.Count,
            };
        }

        var attempts = request.History.Count;
        var gaveUp = attempts > 1 ? string.Format(CultureInfo.InvariantCulture, " Gave up after {0} attempts ({1}).", attempts, History(request.History)) : string.Empty;
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
            var error = CreateApiException(method, uri, response, ids, gaveUp, attempts, customer, operation.Redact);
            if (error.StatusCode == 401)
            {
                operation.TokenRefused(error);
            }

            throw error;
        }

        return new PartnerCenterResponse(response.Body, ids.RequestIdText, ids.CorrelationIdText);
    }

    private async ValueTask<Attempt> AttemptAsync(Uri uri, string? continuationToken, RequestState request, CancellationToken cancellationToken)
    {
        var operation = request.Operation;
        using (var slot = await operation.Limiter.AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            // A burst of refusals pauses the whole operation: nothing is sent until the pause is over, not even by a
            // request that got its slot while the pause began.
            await operation.Throttle.WaitAsync(_options.TimeProvider, cancellationToken).ConfigureAwait(false);
            operation.ThrowIfTokenRefused();

            // The backoff after a failure may have spent what was left of the request's own time.
            if (!request.HasTimeLeft(_options))
            {
                return new Attempt(TimedOut(request, uri, new RequestIds(request.RequestId, operation.CorrelationId), null));
            }

            // Only the attempt itself is the request's own time: waiting for its turn or a pause is not.
            var attemptStarted = _options.TimeProvider.GetUtcNow();
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

                if (response.StatusCode == 401)
                {
                    // Refused even after renewal (or not renewable): marked, with the refusal itself (an MFA refusal stays
                    // one), before the slot is released, so that no request waiting for it is sent with the same token.
                    operation.TokenRefused(CreateApiException(
                        request.Method, uri, response, new RequestIds(request.SentRequestId, operation.CorrelationId), string.Empty, 1, null, operation.Redact));
                }

                attempt = new Attempt(response);
                if (response.StatusCode == 429)
                {
                    slot.Throttled();
                }
                else
                {
                    request.Answered();
                    if (response.IsSuccess)
                    {
                        slot.Succeeded();
                    }

                    if (operation.Throttle.Answered(_options.TimeProvider.GetUtcNow(), response.IsSuccess))
                    {
                        operation.Limiter.Resumed();
                        operation.Log.Write(PartnerCenterLogLevel.Waiting, string.Empty);
                    }
                }
            }
            catch (PartnerCenterTransportException ex)
            {
                attempt = new Attempt(ex);
            }

            request.Own += _options.TimeProvider.GetUtcNow() - attemptStarted;
            request.History.Add(attempt.Describe());
            if (attempt.Response is not null)
            {
                // Answered: a retry is a new request. Unanswered, it keeps its MS-RequestId (the server may have it).
                request.RequestId = Guid.NewGuid();
            }

            return attempt;
        }
    }

    private const int MaxRedirects = 3;

    private async Task<RawResponse> SendOnceAsync(
        RequestState state, Uri uri, AccessToken token, string? continuationToken, CancellationToken cancellationToken)
    {
        var ids = new RequestIds(state.RequestId, state.Operation.CorrelationId);
        state.SentRequestId = state.RequestId;
        var log = state.Operation.Log;
        if (continuationToken is not null && !PartnerCenterHeaders.IsSafeValue(continuationToken))
        {
            // From a response body: CR/LF would smuggle a second request onto the connection, other bytes break the header.
            throw Invalid(ids, "The continuation token Partner Center gave for the next page holds characters an HTTP header cannot carry; it is not sent.");
        }

        state.AttemptTimeout = state.Remaining(_options) is var left && left < _options.RequestTimeout ? left : _options.RequestTimeout;
        using var attemptTimeout = _options.TimeProvider.CreateCancellationTokenSource(state.AttemptTimeout);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimeout.Token);
        var stopwatch = Stopwatch.StartNew();
        var target = uri;
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
                        state.Method.Method, uri.AbsolutePath, (int)response.StatusCode, target.AbsolutePath));
                    continue;
                }

                // .NET Framework's response stream ignores the token once reading starts: disposing the response is what
                // ends a stalled body there (Ctrl+C, the per-attempt timeout).
                byte[] body;
                using (timeout.Token.Register(static r => ((HttpResponseMessage)r!).Dispose(), response))
                {
                    body = await ReadBodyAsync(response, _options.MaxResponseBytes, ids, timeout.Token).ConfigureAwait(false);
                }

                // The reason phrase is the answer's text too: a careless service may echo the request into it.
                var raw = new RawResponse((int)response.StatusCode, state.Operation.Redact(response.ReasonPhrase), body, RetryAfter(response, _options.TimeProvider), Header(response, PartnerCenterHeaders.CorrelationVector));
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
            catch (Exception ex) when (IsUndecodable(ex))
            {
                // A body that cannot be decompressed is no answer a retry would mend.
                throw Invalid(ids, $"The answer to {state.Method.Method} {uri.AbsolutePath} could not be decoded: {Innermost(ex).Message}", ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(state, uri, ids, ex);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or IOException && timeout.IsCancellationRequested)
            {
                // The response was disposed to end a stalled read: the caller's cancellation, or the attempt's timeout.
                cancellationToken.ThrowIfCancellationRequested();
                throw TimedOut(state, uri, ids, ex);
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
    }

    // A redirect is followed on the API's own host only, a few times: the bearer token must never reach another host.
    private Uri Redirected(Uri from, Uri? location, int redirects, RequestIds ids)
    {
        if (location is null)
        {
            throw Invalid(ids, $"Partner Center answered {from.AbsolutePath} with a redirect to nowhere (no Location).");
        }

        var to = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (!PartnerCenterRoutes.IsApiHost(_baseAddress, to))
        {
            throw Invalid(ids, $"Partner Center answered {from.AbsolutePath} with a redirect to {to.Scheme}://{to.Authority}, not to the API host; it is not followed.");
        }

        if (redirects >= MaxRedirects)
        {
            throw Invalid(ids, string.Format(CultureInfo.InvariantCulture, "Partner Center redirected {0} more than {1} times; the redirects are not followed further.", from.AbsolutePath, MaxRedirects));
        }

        return to;
    }

    private static PartnerCenterTransportException TimedOut(RequestState state, Uri uri, RequestIds ids, Exception? inner) =>
        new(string.Format(CultureInfo.InvariantCulture, "{0} {1} timed out after {2:0} s. MS-RequestId: {3}, MS-CorrelationId: {4}.",
                state.Method.Method, uri.AbsolutePath, state.AttemptTimeout.TotalSeconds, ids.RequestId, ids.CorrelationId),
            isTimeout: true,
            inner)
        { RequestId = ids.RequestIdText, CorrelationId = ids.CorrelationIdText };

    private static PartnerCenterInvalidResponseException Invalid(RequestIds ids, string message, Exception? inner = null) =>
        new($"{message} MS-RequestId: {ids.RequestId}, MS-CorrelationId: {ids.CorrelationId}.", inner)
        { RequestId = ids.RequestIdText, CorrelationId = ids.CorrelationIdText };

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

    private static bool IsMfaRefusal(RawResponse response) =>
        PartnerCenterJson.ReadError(response.Body).Code == PartnerCenterErrorCodes.MfaRequired;

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, long maxBytes, RequestIds ids, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(ids, maxBytes);
        }

        // netstandard2.0 has no ReadAsByteArrayAsync(CancellationToken): copy with the token instead, and no further
        // than the cap, so that an endless answer costs a bounded amount of memory.
        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(ids, maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static PartnerCenterInvalidResponseException TooLarge(RequestIds ids, long maxBytes) =>
        new(string.Format(CultureInfo.InvariantCulture,
            "The answer is larger than {0:0.##} MB, the most this connection reads; it is not read further. MS-RequestId: {1}, MS-CorrelationId: {2}.",
            maxBytes / (1024.0 * 1024.0), ids.RequestId, ids.CorrelationId))
        { RequestId = ids.RequestIdText, CorrelationId = ids.CorrelationIdText, IsTooLarge = true };

    private static PartnerCenterApiException CreateApiException(
        HttpMethod method, Uri uri, RawResponse response, RequestIds ids, string gaveUp, int attempts, Guid? customer, Func<string?, string?> redact)
    {
        var (code, description) = PartnerCenterJson.ReadError(response.Body);
        if (code is null && description is null && response.Body.Length > 0)
        {
            description = BodyText.Excerpt(response.Body);
        }

        // A careless service may echo the request, bearer token included, into its error: none of it reaches a message.
        code = redact(code);
        description = redact(description);

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
            CustomerId = customer,
            // Partner Center's errors carry a code; a gateway's {"statusCode", "message"} or an HTML page does not.
            HasErrorBody = code is not null,
        };
    }

    // Attempts as a readable list; a long run of them is shortened to its start and end.
    private static string History(List<string> history) =>
        history.Count <= 6
            ? string.Join(", ", history)
            : string.Join(", ", history.Take(3)) + string.Format(CultureInfo.InvariantCulture, ", ... {0} more ..., ", history.Count - 5) + string.Join(", ", history.Skip(history.Count - 2));

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

}

/// <summary>A successful answer: its body, and the ids that name it in any error about it.</summary>
internal sealed class PartnerCenterResponse
{
    private readonly string _requestId;
    private readonly string _correlationId;

    internal PartnerCenterResponse(byte[] body, string requestId, string correlationId)
    {
        Body = body;
        _requestId = requestId;
        _correlationId = correlationId;
    }

    public byte[] Body { get; }

    /// <summary>Reads the body; an unusable one names the request's ids.</summary>
    public T Read<T>(Func<byte[], T> read) => Resolve(() => read(Body));

    /// <summary>Runs <paramref name="work"/> on what the answer says; an invalid response it finds names the request's ids.</summary>
    public T Resolve<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (PartnerCenterInvalidResponseException ex)
        {
            throw Invalid(ex.Message, ex.InnerException);
        }
    }

    /// <summary>An invalid response about this answer, naming its ids.</summary>
    public PartnerCenterInvalidResponseException Invalid(string message, Exception? innerException = null) =>
        new($"{message} MS-RequestId: {_requestId}, MS-CorrelationId: {_correlationId}.", innerException)
        { RequestId = _requestId, CorrelationId = _correlationId };
}
