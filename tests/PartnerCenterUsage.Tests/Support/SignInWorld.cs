using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Simulator;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>An identity provider and a Partner Center that accepts its tokens, plus a registered partner app.</summary>
public sealed class SignInWorld : IAsyncDisposable
{
    public const string PartnerAppId = "5d8e8b4c-1f2a-4c3b-9d4e-6f7a8b9c0d1e";

    private SignInWorld(IdentityProviderSimulator idp, PartnerCenterSimulator api, string appSecret, X509Certificate2 appCertificate)
    {
        Idp = idp;
        Api = api;
        AppSecret = appSecret;
        AppCertificate = appCertificate;
    }

    public IdentityProviderSimulator Idp { get; }

    public PartnerCenterSimulator Api { get; }

    public string AppSecret { get; }

    /// <summary>The partner app's certificate, with its private key.</summary>
    public X509Certificate2 AppCertificate { get; }

    public static async Task<SignInWorld> StartAsync(int customers = 25, TimeSpan? latency = null)
    {
        var idp = await IdentityProviderSimulator.StartAsync();
        var api = await PartnerCenterSimulator.StartAsync(new SimulatorOptions { IdentityProvider = idp, CustomerCount = customers, Latency = latency ?? TimeSpan.Zero });
        var secret = "app-secret-" + Guid.NewGuid().ToString("N");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Partner app", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
        idp.RegisterConfidentialClient(PartnerAppId, secret, certificate);
        return new SignInWorld(idp, api, secret, certificate);
    }

    public PartnerSignInOptions Options(string? applicationId = null) => new()
    {
        ApiEndpoint = Api.BaseAddress,
        AuthorityHost = Idp.AuthorityHost,
        TrustedAuthorityCertificate = Idp.Certificate,
        TenantId = "organizations",
        ApplicationId = applicationId,
    };

    /// <summary>Token requests of a grant type so far.</summary>
    public int TokenRequests(string grantType) => Idp.TokenRequests.Count(r => r.GrantType == grantType);

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Idp.DisposeAsync();
        AppCertificate.Dispose();
    }
}
