using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Simulator;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>An identity provider and a Partner Center that accepts its tokens, plus a registered partner app.</summary>
public sealed class SignInWorld : IAsyncDisposable
{
    public const string PartnerAppId = "5d8e8b4c-1f2a-4c3b-9d4e-6f7a8b9c0d1e";

    // One partner app certificate for the test process: a 2048-bit RSA key costs real time, and every world has the app.
    private static readonly Lazy<X509Certificate2> SharedAppCertificate = new(CreateAppCertificate);

    private SignInWorld(IdentityProviderSimulator idp, PartnerCenterSimulator api, string appSecret, X509Certificate2 appCertificate, TimeProvider clock)
    {
        Clock = clock;
        Idp = idp;
        Api = api;
        AppSecret = appSecret;
        AppCertificate = appCertificate;
    }

    /// <summary>The time of the identity provider, the API and the connections the world makes.</summary>
    public TimeProvider Clock { get; }

    public IdentityProviderSimulator Idp { get; }

    public PartnerCenterSimulator Api { get; }

    public string AppSecret { get; }

    /// <summary>The partner app's certificate, with its private key: one for the test process, never disposed by a world.</summary>
    public X509Certificate2 AppCertificate { get; }

    /// <param name="customers">Customers of each partner.</param>
    /// <param name="latency">The API's latency, on <paramref name="clock"/>.</param>
    /// <param name="clock">The time of the whole world (a <see cref="TestClock"/>); the system clock when null.</param>
    /// <param name="idpCertificate">
    /// The identity provider's server certificate; the process's shared one when null, which every other world serves too.
    /// </param>
    public static async Task<SignInWorld> StartAsync(int customers = 25, TimeSpan? latency = null, TimeProvider? clock = null, X509Certificate2? idpCertificate = null)
    {
        clock ??= TimeProvider.System;
        var idp = await IdentityProviderSimulator.StartAsync(idpCertificate);
        idp.Clock = clock;
        idp.DeviceCodeInterval = TimeSpan.Zero;
        var api = await PartnerCenterSimulator.StartAsync(new SimulatorOptions { IdentityProvider = idp, CustomerCount = customers, Latency = latency ?? TimeSpan.Zero, TimeProvider = clock });
        var secret = "app-secret-" + Guid.NewGuid().ToString("N");
        var certificate = SharedAppCertificate.Value;
        idp.RegisterConfidentialClient(PartnerAppId, secret, certificate);
        return new SignInWorld(idp, api, secret, certificate, clock);
    }

    private static X509Certificate2 CreateAppCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Partner app", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }

    public PartnerSignInOptions Options(string? applicationId = null) => new()
    {
        ApiEndpoint = Api.BaseAddress,
        AuthorityHost = Idp.AuthorityHost,
        TrustedAuthorityCertificate = Idp.Certificate,
        TenantId = "organizations",
        ApplicationId = applicationId,
        ClientOptions = new PartnerCenterClientOptions { TimeProvider = Clock },
    };

    /// <summary>Signs <paramref name="user"/> in with the Secure Application Model and the app's secret, on the world's clock.</summary>
    public Task<PartnerConnection> ConnectAsync(SimulatedUser user) =>
        PartnerSignIn.SecureApplicationModelAsync(
            Options(PartnerAppId), Secure(Idp.IssueRefreshToken(user, PartnerAppId)), Secure(AppSecret), certificate: null, CancellationToken.None);

    private static System.Security.SecureString Secure(string text) => new System.Net.NetworkCredential(string.Empty, text).SecurePassword;

    /// <summary>Token requests of a grant type so far.</summary>
    public int TokenRequests(string grantType) => Idp.TokenRequests.Count(r => r.GrantType == grantType);

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Idp.DisposeAsync();
    }
}
