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
        HttpMethod method, string relativeUri, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid();
        var ids = new RequestIds(requestId, operation.CorrelationId);
        var uri = new Uri(_baseAddress, relativeUri);
        var accessToken = await _tokens.GetAccessTokenAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false);

        using var request = new HttpRequestMessage(method, uri);
        PartnerCenterHeaders.Apply(request, accessToken, requestId, operation.CorrelationId, _options.Locale);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var headersElapsed = stopwatch.Elapsed;
            var body = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            operation.Log.Write(
                PartnerCenterLogLevel.Verbose,
                string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} {3} in {4:0} ms (MS-RequestId {5})",
                    method.Method, uri.AbsolutePath, status, response.ReasonPhrase, stopwatch.Elapsed.TotalMilliseconds, ids.RequestId));
            operation.Log.Write(
                PartnerCenterLogLevel.Debug,
                string.Format(CultureInfo.InvariantCulture, "{0} {1}: {2} bytes, headers after {3:0} ms, body after {4:0} ms, MS-CorrelationId {5}, MS-CV {6}",
                    method.Method, uri.AbsolutePath, body.Length, headersElapsed.TotalMilliseconds, stopwatch.Elapsed.TotalMilliseconds,
                    ids.CorrelationId, Header(response, PartnerCenterHeaders.CorrelationVector) ?? "-"));

            if (!response.IsSuccessStatusCode)
            {
                throw CreateApiException(method, uri, response, body, ids);
            }

            return new PartnerCenterResponse(body, ids);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PartnerCenterTransportException(
                string.Format(CultureInfo.InvariantCulture, "{0} {1} timed out after {2:0} s. MS-RequestId: {3}, MS-CorrelationId: {4}.",
                    method.Method, uri.AbsolutePath, _options.RequestTimeout.TotalSeconds, ids.RequestId, ids.CorrelationId),
                isTimeout: true,
                ex)
            { RequestId = ids.RequestId, CorrelationId = ids.CorrelationId };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new PartnerCenterTransportException(
                $"{method.Method} {uri.AbsolutePath} failed before Partner Center answered: {Innermost(ex).Message} MS-RequestId: {ids.RequestId}, MS-CorrelationId: {ids.CorrelationId}.",
                isTimeout: false,
                ex)
            { RequestId = ids.RequestId, CorrelationId = ids.CorrelationId };
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // netstandard2.0 has no ReadAsByteArrayAsync(CancellationToken): copy with the token instead.
        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static PartnerCenterApiException CreateApiException(
        HttpMethod method, Uri uri, HttpResponseMessage response, byte[] body, RequestIds ids)
    {
        var status = (int)response.StatusCode;
        var (code, description) = PartnerCenterJson.ReadError(body);
        if (code is null && description is null && body.Length > 0)
        {
            description = BodyText.Excerpt(body);
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
            status, response.ReasonPhrase, method.Method, uri.AbsolutePath, detail.Length == 0 ? "." : detail.TrimEnd('.') + ".", ids.RequestId, ids.CorrelationId);
        return new PartnerCenterApiException(message, status, code, description)
        {
            RequestId = ids.RequestId,
            CorrelationId = ids.CorrelationId,
            CorrelationVector = Header(response, PartnerCenterHeaders.CorrelationVector),
            RetryAfter = RetryAfter(response),
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
            RequestId = requestId.ToString("D", CultureInfo.InvariantCulture);
            CorrelationId = correlationId.ToString("D", CultureInfo.InvariantCulture);
        }

        public string RequestId { get; }

        public string CorrelationId { get; }
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
                { RequestId = _ids.RequestId, CorrelationId = _ids.CorrelationId };
            }
        }
    }
}
