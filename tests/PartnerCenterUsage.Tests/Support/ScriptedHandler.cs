using System.Net;
using System.Text;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// An HTTP handler that answers from a script instead of a network: for engine tests of exact answers (paging, path
/// forms, envelopes). Every request is recorded with its Authorization header.
/// </summary>
public sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    private readonly List<(Uri Uri, string? Authorization)> _requests = [];

    /// <summary>The requests so far, in order.</summary>
    public IReadOnlyList<(Uri Uri, string? Authorization)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>A JSON answer.</summary>
    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add((request.RequestUri!, request.Headers.Authorization?.ToString()));
        }

        return Task.FromResult(answer(request));
    }
}
