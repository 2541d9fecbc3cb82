using System;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// MSAL's HTTP client for a local test identity provider whose certificate is self-signed: it trusts exactly that
/// certificate (by thumbprint) in addition to the normal chain rules, never everything.
/// </summary>
internal sealed class PinnedCertificateHttpClientFactory : IMsalHttpClientFactory, IDisposable
{
    private readonly HttpClient _client;

    public PinnedCertificateHttpClientFactory(X509Certificate2 trusted)
    {
        var thumbprint = trusted.Thumbprint;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None
                || (certificate is not null && string.Equals(certificate.GetCertHashString(), thumbprint, StringComparison.OrdinalIgnoreCase)),
        };
        _client = new HttpClient(handler);
    }

    public HttpClient GetHttpClient() => _client;

    public void Dispose() => _client.Dispose();
}
