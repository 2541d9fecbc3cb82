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

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// The Partner Center REST client: every request goes through <see cref="SendAsync"/>, which sets the
/// headers, takes the token from the connection's provider, and turns failures into typed exceptions.
/// Safe for concurrent use.
/// </summary>
public sealed class PartnerCenterClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly IAccessTokenProvider _tokens;
    private readonly PartnerCenterClientOptions _options;

    static PartnerCenterClient()
    {
        // On .NET Framework (Windows PowerShell 5.1) HttpClientHandler follows ServicePointManager, whose
        // default may lack TLS 1.2, which Partner Center requires. Add it, removing nothing the host enabled.
        if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
        {
            ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
        }
    }

    /// <summary>Creates a client for the API at <paramref name="baseAddress"/> (ending with a slash).</summary>
    public PartnerCenterClient(Uri baseAddress, IAccessTokenProvider tokens, PartnerCenterClientOptions? options = null)
    {
        _baseAddress = baseAddress ?? throw new ArgumentNullException(nameof(baseAddress));
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _options = options ?? new PartnerCenterClientOptions();
        var handler = _options.Handler ?? new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
        };

        // Timeouts are per request (see SendAsync), so they can be told apart from the user's cancellation.
        _http = new HttpClient(handler, disposeHandler: _options.Handler is null) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>The API base URL.</summary>
    public Uri BaseAddress => _baseAddress;

    /// <summary>Gets the license usage rows of one customer, all of them or an exception.</summary>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    public async Task<IReadOnlyList<CustomerLicenseUsage>> GetCustomerLicenseUsageAsync(
        Guid customerId, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, PartnerCenterRoutes.CustomerLicensesUsage(customerId), operation, cancellationToken)
            .ConfigureAwait(false);
        var rows = response.ReadCollection<CustomerLicenseUsage>("the license usage request for customer " + customerId.ToString("D", CultureInfo.InvariantCulture));
        foreach (var row in rows)
        {
            if (row.CustomerId == Guid.Empty)
            {
                row.CustomerId = customerId;
            }
        }

        return rows;
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private async Task<PartnerCenterResponse> SendAsync(
        HttpMethod method, string relativeUri, PartnerCenterOperation operation, CancellationToken cancellationToken, bool requiresUser = true)
    {
        var ids = new RequestIds(Guid.NewGuid(), operation.CorrelationId);
        var uri = new Uri(_baseAddress, relativeUri);
        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        if (requiresUser && token.Claims?.IsAppOnly == true)
        {
            throw new PartnerCenterAppOnlyTokenException(
                "The connection's token was issued to an application without a user (App-only). Partner Center's license analytics " +
                "accept App+User tokens only: connect with -UseDeviceAuthentication, interactively, or with the Secure Application Model.");
        }

        var response = await SendOnceAsync(method, uri, token, ids, operation, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 401 && !IsMfaRefusal(response))
        {
            // An expired or revoked token: renew once and retry; a provider that cannot renew gives null.
            var renewed = await _tokens.RenewAsync(token, cancellationToken).ConfigureAwait(false);
            if (renewed is not null)
            {
                operation.Log.Write(PartnerCenterLogLevel.Verbose, $"{method.Method} {uri.AbsolutePath}: 401, retrying once with a renewed token (MS-RequestId {ids.RequestId}).");
                response = await SendOnceAsync(method, uri, renewed, ids, operation, cancellationToken).ConfigureAwait(false);
            }
        }

        if (response.StatusCode is < 200 or > 299)
        {
            throw CreateApiException(method, uri, response, ids);
        }

        return new PartnerCenterResponse(response.Body, ids);
    }

    private async Task<RawResponse> SendOnceAsync(
        HttpMethod method, Uri uri, AccessToken token, RequestIds ids, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        PartnerCenterHeaders.Apply(request, token.Value, ids.RequestId, ids.CorrelationId, _options.Locale);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var headersElapsed = stopwatch.Elapsed;
            var body = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
            var raw = new RawResponse((int)response.StatusCode, response.ReasonPhrase, body, RetryAfter(response), Header(response, PartnerCenterHeaders.CorrelationVector));
            operation.Log.Write(
                PartnerCenterLogLevel.Verbose,
                string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} {3} in {4:0} ms (MS-RequestId {5})",
                    method.Method, uri.AbsolutePath, raw.StatusCode, raw.ReasonPhrase, stopwatch.Elapsed.TotalMilliseconds, ids.RequestId));
            operation.Log.Write(
                PartnerCenterLogLevel.Debug,
                string.Format(CultureInfo.InvariantCulture, "{0} {1}: {2} bytes, headers after {3:0} ms, body after {4:0} ms, MS-CorrelationId {5}, MS-CV {6}",
                    method.Method, uri.AbsolutePath, body.Length, headersElapsed.TotalMilliseconds, stopwatch.Elapsed.TotalMilliseconds,
                    ids.CorrelationId, raw.CorrelationVector ?? "-"));
            return raw;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PartnerCenterTransportException(
                string.Format(CultureInfo.InvariantCulture, "{0} {1} timed out after {2:0} s. MS-RequestId: {3}, MS-CorrelationId: {4}.",
                    method.Method, uri.AbsolutePath, _options.RequestTimeout.TotalSeconds, ids.RequestId, ids.CorrelationId),
                isTimeout: true,
                ex)
            { RequestId = ids.RequestId.ToString("D", CultureInfo.InvariantCulture), CorrelationId = ids.CorrelationId.ToString("D", CultureInfo.InvariantCulture) };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new PartnerCenterTransportException(
                $"{method.Method} {uri.AbsolutePath} failed before Partner Center answered: {Innermost(ex).Message} MS-RequestId: {ids.RequestId}, MS-CorrelationId: {ids.CorrelationId}.",
                isTimeout: false,
                ex)
            { RequestId = ids.RequestId.ToString("D", CultureInfo.InvariantCulture), CorrelationId = ids.CorrelationId.ToString("D", CultureInfo.InvariantCulture) };
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

    private static PartnerCenterApiException CreateApiException(HttpMethod method, Uri uri, RawResponse response, RequestIds ids)
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
            "Partner Center answered {0} {1} to {2} {3}{4} MS-RequestId: {5}, MS-CorrelationId: {6}.",
            response.StatusCode, response.ReasonPhrase, method.Method, uri.AbsolutePath, detail.Length == 0 ? "." : detail.TrimEnd('.') + ".", ids.RequestId, ids.CorrelationId);
        return new PartnerCenterApiException(message, response.StatusCode, code, description)
        {
            RequestId = ids.RequestId.ToString("D", CultureInfo.InvariantCulture),
            CorrelationId = ids.CorrelationId.ToString("D", CultureInfo.InvariantCulture),
            CorrelationVector = response.CorrelationVector,
            RetryAfter = response.RetryAfter,
        };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
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

    private readonly struct RequestIds
    {
        public RequestIds(Guid requestId, Guid correlationId)
        {
            RequestId = requestId;
            CorrelationId = correlationId;
        }

        public Guid RequestId { get; }

        public Guid CorrelationId { get; }
    }

    private sealed class RawResponse(int statusCode, string? reasonPhrase, byte[] body, TimeSpan? retryAfter, string? correlationVector)
    {
        public int StatusCode { get; } = statusCode;

        public string? ReasonPhrase { get; } = reasonPhrase;

        public byte[] Body { get; } = body;

        public TimeSpan? RetryAfter { get; } = retryAfter;

        public string? CorrelationVector { get; } = correlationVector;
    }

    private sealed class PartnerCenterResponse
    {
        private readonly byte[] _body;
        private readonly RequestIds _ids;

        public PartnerCenterResponse(byte[] body, RequestIds ids)
        {
            _body = body;
            _ids = ids;
        }

        public IReadOnlyList<T> ReadCollection<T>(string what)
            where T : class
        {
            try
            {
                return PartnerCenterJson.ReadCollection<T>(_body, what);
            }
            catch (PartnerCenterInvalidResponseException ex)
            {
                throw new PartnerCenterInvalidResponseException(
                    $"{ex.Message} MS-RequestId: {_ids.RequestId}, MS-CorrelationId: {_ids.CorrelationId}.", ex.InnerException)
                { RequestId = _ids.RequestId.ToString("D", CultureInfo.InvariantCulture), CorrelationId = _ids.CorrelationId.ToString("D", CultureInfo.InvariantCulture) };
            }
        }
    }
}
