using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace PartnerCenterUsage.Simulator;

/// <summary>A user of the simulated identity provider: a partner admin in a partner tenant.</summary>
public sealed record SimulatedUser(string Upn, Guid TenantId, Guid ObjectId);

/// <summary>A request to the token endpoint, as received.</summary>
public sealed record TokenRequest(string GrantType, string? ClientId, int StatusCode, string? Error, DateTimeOffset At);

/// <summary>
/// A fake Microsoft identity platform on loopback HTTPS (a self-signed certificate, one per process unless given) that real MSAL
/// signs in against: discovery, authorize (auto-approved), device code, and the token endpoint for
/// authorization_code, refresh_token, device_code and client_credentials, with client secrets and certificate
/// assertions. Access tokens are JWTs (not signed: the simulator checks them by lookup) with configurable lifetime,
/// amr and audience. Refresh tokens rotate as Entra's do: every redemption returns a new one, the redeemed one keeps
/// working, and each dies <see cref="RefreshTokenLifetime"/> after it was issued (AADSTS700082), however often it was
/// used; they can be revoked (AADSTS50173), cut by a sign-in frequency policy (AADSTS70043), or made to ask for MFA
/// again (AADSTS50076, AADSTS50078), with the error shapes Entra answers.
/// </summary>
public sealed class IdentityProviderSimulator : IAsyncDisposable
{
    private static readonly Lock SharedLock = new();
    private static X509Certificate2? _shared;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (SimulatedUser? User, string? ClientId, DateTimeOffset ExpiresOn, string[] Amr, string Audience)> _accessTokens = new();
    private readonly ConcurrentDictionary<string, RefreshGrant> _refreshTokens = new();
    private readonly ConcurrentDictionary<string, DeviceGrant> _deviceCodes = new();
    private readonly ConcurrentDictionary<string, CodeGrant> _codes = new();
    private readonly ConcurrentDictionary<string, (string? Secret, X509Certificate2? Certificate)> _confidentialClients = new();
    private readonly ConcurrentQueue<TokenRequest> _tokenRequests = new();

    private IdentityProviderSimulator(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
    }

    /// <summary>The authority host for MSAL (https://127.0.0.1:port/); the tenant is appended to it.</summary>
    public Uri AuthorityHost { get; private set; } = null!;

    /// <summary>
    /// The server certificate (self-signed, without its private key) a client pins to trust this server: the process's
    /// <see cref="SharedCertificate"/> unless the server was started with one of its own.
    /// </summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The clock tokens and codes are issued and checked by: the system clock, or the controllable clock a test gives the
    /// module too, so that expiry happens for both at the same moment without waiting.
    /// </summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The polling interval the device code answer asks MSAL for; MSAL waits it on the machine's clock.</summary>
    public TimeSpan DeviceCodeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long after its expiry an access token is still accepted, as APIs allow for clock skew (zero: refused at
    /// once). A test whose clock moves on by itself sets it, so that a request in transit while the clock jumps is not
    /// refused for a moment the test did not mean to specify.
    /// </summary>
    public TimeSpan AccessTokenClockSkew { get; set; }

    /// <summary>Lifetime of the access tokens issued from now on.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a refresh token lives after it was issued, on <see cref="Clock"/>: 90 days, as Entra's do. Redeeming a
    /// token does not lengthen its own life, it returns a new token with a life of its own.
    /// </summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The amr claim of the user tokens issued from now on.</summary>
    public string[] AuthenticationMethods { get; set; } = ["pwd", "mfa"];

    /// <summary>The audience of the access tokens issued from now on.</summary>
    public string Audience { get; set; } = "https://api.partnercenter.microsoft.com";

    /// <summary>The user that interactive sign-ins (authorize) complete as.</summary>
    public SimulatedUser InteractiveUser { get; set; } = PartnerA;

    /// <summary>A partner admin of partner tenant A.</summary>
    public static SimulatedUser PartnerA { get; } = new("admin@partner-a.example", Guid.Parse("aaaaaaaa-0000-4000-8000-00000000000a"), Guid.Parse("aaaaaaaa-1111-4000-8000-00000000000a"));

    /// <summary>A partner admin of partner tenant B.</summary>
    public static SimulatedUser PartnerB { get; } = new("admin@partner-b.example", Guid.Parse("bbbbbbbb-0000-4000-8000-00000000000b"), Guid.Parse("bbbbbbbb-1111-4000-8000-00000000000b"));

    /// <summary>How many refresh tokens this provider has issued so far (by <see cref="IssueRefreshToken"/> and by redemptions).</summary>
    public int RefreshTokensIssued => _refreshTokens.Count;

    /// <summary>Every request to the token endpoint so far.</summary>
    public IReadOnlyList<TokenRequest> TokenRequests => [.. _tokenRequests];

    /// <summary>
    /// The server certificate every identity provider of this process serves unless it is given another: making a
    /// 2048-bit RSA key costs real time, and a test process starts dozens of sign-in servers. It is made on first use,
    /// and again only when it has less than an hour left.
    /// </summary>
    public static X509Certificate2 SharedCertificate
    {
        get
        {
            lock (SharedLock)
            {
                if (_shared is null || _shared.NotAfter.ToUniversalTime() < DateTime.UtcNow.AddHours(1))
                {
                    _shared = CreateCertificate();
                }

                return _shared;
            }
        }
    }

    /// <summary>A new self-signed server certificate for 127.0.0.1 and localhost, valid for a day, with its private key.</summary>
    public static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=PartnerCenterUsage simulator identity provider", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        // Re-import so the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>Starts the identity provider on a free loopback port, serving <see cref="SharedCertificate"/>.</summary>
    public static Task<IdentityProviderSimulator> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(certificate: null, cancellationToken);

    /// <summary>
    /// Starts the identity provider on a free loopback port, serving <paramref name="certificate"/> (with its private key;
    /// <see cref="CreateCertificate"/> makes one), or <see cref="SharedCertificate"/> when null: a test of certificate
    /// pinning needs a server whose certificate is not the one the others serve.
    /// </summary>
    public static async Task<IdentityProviderSimulator> StartAsync(X509Certificate2? certificate, CancellationToken cancellationToken = default)
    {
        certificate ??= SharedCertificate;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var idp = new IdentityProviderSimulator(app, X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert)));
        idp.Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        idp.AuthorityHost = new Uri(address.EndsWith('/') ? address : address + "/");
        return idp;
    }

    /// <summary>Registers a confidential client with a secret, a certificate, or both.</summary>
    public void RegisterConfidentialClient(string clientId, string? secret = null, X509Certificate2? certificate = null) =>
        _confidentialClients[clientId] = (secret, certificate);

    /// <summary>A refresh token as an MFA sign-in of <paramref name="user"/> through <paramref name="clientId"/> would have given (the Secure Application Model's starting point).</summary>
    public string IssueRefreshToken(SimulatedUser user, string clientId)
    {
        var token = NewSecret("rt");
        _refreshTokens[token] = new RefreshGrant(user, clientId, Clock.GetUtcNow());
        return token;
    }

    /// <summary>True when <paramref name="refreshToken"/> is one this provider issued and would redeem now.</summary>
    public bool IsRedeemable(string refreshToken) =>
        _refreshTokens.TryGetValue(refreshToken, out var grant) && grant.Refusal == RefreshRefusal.None && grant.IssuedOn + RefreshTokenLifetime > Clock.GetUtcNow();

    /// <summary>
    /// Makes every refresh token issued so far (of <paramref name="user"/> only, when given) ask for multi-factor
    /// authentication again, as a Conditional Access policy does: AADSTS50076 (MFA now required), or AADSTS50078 when
    /// <paramref name="presentedMfaExpired"/> (the MFA presented earlier has expired).
    /// </summary>
    public void RequireMultiFactorAuthentication(SimulatedUser? user = null, bool presentedMfaExpired = false) =>
        Refuse(user, presentedMfaExpired ? RefreshRefusal.MfaExpired : RefreshRefusal.MfaRequired);

    /// <summary>Ends every refresh token issued so far (of <paramref name="user"/> only) by a sign-in frequency policy: AADSTS70043.</summary>
    public void EndRefreshTokensBySignInFrequency(SimulatedUser? user = null) => Refuse(user, RefreshRefusal.SignInFrequency);

    private void Refuse(SimulatedUser? user, RefreshRefusal refusal)
    {
        foreach (var grant in _refreshTokens.Values)
        {
            if (user is null || grant.User == user)
            {
                grant.Refusal = refusal;
            }
        }
    }

    /// <summary>Revokes every refresh token (of <paramref name="user"/> only, when given).</summary>
    public void RevokeRefreshTokens(SimulatedUser? user = null)
    {
        foreach (var grant in _refreshTokens.Values)
        {
            if (user is null || grant.User == user)
            {
                grant.Refusal = RefreshRefusal.Revoked;
            }
        }
    }

    /// <summary>Waits until a device code is pending and returns its user code.</summary>
    public async Task<string> WaitForDeviceCodeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_deviceCodes.Values.FirstOrDefault(d => d.ApprovedAs is null) is { } pending)
            {
                return pending.UserCode;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Plays the user: approves the device code as <paramref name="user"/>.</summary>
    public void ApproveDeviceCode(string userCode, SimulatedUser user) =>
        _deviceCodes.Values.Single(d => d.UserCode == userCode).ApprovedAs = user;


    /// <summary>
    /// Checks an access token this provider issued: known, not expired, for the expected audience. Returns the
    /// user (null for an App-only token) or a refusal.
    /// </summary>
    public bool TryValidate(string accessToken, out SimulatedUser? user, out bool appOnly, out string[] amr, out string? refusal)
    {
        user = null;
        appOnly = false;
        amr = [];
        if (!_accessTokens.TryGetValue(accessToken, out var issued))
        {
            refusal = "The token was not issued by this identity provider.";
            return false;
        }

        user = issued.User;
        appOnly = issued.User is null;
        amr = issued.Amr;
        if (issued.ExpiresOn + AccessTokenClockSkew <= Clock.GetUtcNow())
        {
            refusal = "The token is expired.";
            return false;
        }

        if (!string.Equals(issued.Audience.TrimEnd('/'), "https://api.partnercenter.microsoft.com", StringComparison.OrdinalIgnoreCase))
        {
            refusal = $"The token's audience {issued.Audience} is not Partner Center.";
            return false;
        }

        refusal = null;
        return true;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext context, string tenant) =>
        {
            var root = $"{AuthorityHost}{tenant}";
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = $"{AuthorityHost}{{tenantid}}/v2.0",
                ["authorization_endpoint"] = $"{root}/oauth2/v2.0/authorize",
                ["token_endpoint"] = $"{root}/oauth2/v2.0/token",
                ["device_authorization_endpoint"] = $"{root}/oauth2/v2.0/devicecode",
                ["jwks_uri"] = $"{root}/discovery/v2.0/keys",
                ["response_types_supported"] = new[] { "code" },
                ["grant_types_supported"] = new[] { "authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code" },
            });
        });

        app.MapGet("/common/discovery/instance", () => Results.Json(new Dictionary<string, object>
        {
            ["tenant_discovery_endpoint"] = $"{AuthorityHost}common/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new[] { new { preferred_network = AuthorityHost.Authority, preferred_cache = AuthorityHost.Authority, aliases = new[] { AuthorityHost.Authority } } },
        }));

        app.MapGet("/{tenant}/oauth2/v2.0/authorize", (HttpContext context) =>
        {
            // The user signs in and consents at once: the browser hop is what tests replace.
            var query = context.Request.Query;
            var code = NewSecret("code");
            _codes[code] = new CodeGrant(InteractiveUser, query["client_id"].ToString(), query["redirect_uri"].ToString(), query["code_challenge"].ToString());
            var redirect = $"{query["redirect_uri"]}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(query["state"].ToString())}";
            return Results.Redirect(redirect);
        });

        app.MapPost("/{tenant}/oauth2/v2.0/devicecode", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var userCode = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 9);
            var deviceCode = NewSecret("dc");
            _deviceCodes[deviceCode] = new DeviceGrant(userCode, form["client_id"].ToString(), Clock.GetUtcNow().AddMinutes(15));
            var verification = $"{AuthorityHost}devicelogin";
            return Results.Json(new Dictionary<string, object>
            {
                ["device_code"] = deviceCode,
                ["user_code"] = userCode,
                ["verification_uri"] = verification,
                ["expires_in"] = 900,
                ["interval"] = (int)DeviceCodeInterval.TotalSeconds,
                ["message"] = $"To sign in, use a web browser to open the page {verification} and enter the code {userCode} to authenticate.",
            });
        });

        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext context, string tenant) =>
        {
            var form = await context.Request.ReadFormAsync();
            var grantType = form["grant_type"].ToString();
            var clientId = form["client_id"].ToString();
            var result = Token(grantType, clientId, form);
            _tokenRequests.Enqueue(new TokenRequest(grantType, clientId, result.StatusCode, result.Error, Clock.GetUtcNow()));
            context.Response.StatusCode = result.StatusCode;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(result.Body);
        });
    }

    private TokenResult Token(string grantType, string clientId, IFormCollection form)
    {
        if (_confidentialClients.TryGetValue(clientId, out var registered) && !ClientAuthenticated(clientId, registered, form, out var clientError))
        {
            return Error(401, "invalid_client", clientError);
        }

        var scope = string.Join(' ', form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s is not ("openid" or "profile" or "offline_access")));
        switch (grantType)
        {
            case "refresh_token":
            {
                if (!_refreshTokens.TryGetValue(form["refresh_token"].ToString(), out var grant))
                {
                    return Error(400, "invalid_grant", "AADSTS9002313: Invalid request. The refresh token is malformed or not valid.");
                }

                return RefreshRefused(grant, clientId) ?? Issue(grant.User, clientId, scope);
            }

            case "authorization_code":
            {
                if (!_codes.TryRemove(form["code"].ToString(), out var grant) || grant.ClientId != clientId || grant.RedirectUri != form["redirect_uri"].ToString())
                {
                    return Error(400, "invalid_grant", "AADSTS70000: The authorization code is not valid for this client and redirect URI.");
                }

                var verifier = form["code_verifier"].ToString();
                var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
                if (!string.IsNullOrEmpty(grant.CodeChallenge) && challenge != grant.CodeChallenge)
                {
                    return Error(400, "invalid_grant", "AADSTS501481: The code_verifier does not match the code_challenge.");
                }

                return Issue(grant.User, clientId, scope);
            }

            case "device_code" or "urn:ietf:params:oauth:grant-type:device_code":
            {
                if (!_deviceCodes.TryGetValue(form["device_code"].ToString(), out var grant))
                {
                    return Error(400, "invalid_grant", "AADSTS70000: The device code is not valid.");
                }

                if (grant.ExpiresOn <= Clock.GetUtcNow())
                {
                    return Error(400, "expired_token", "AADSTS70020: The device code expired.");
                }

                if (grant.ApprovedAs is null)
                {
                    return Error(400, "authorization_pending", "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.");
                }

                _deviceCodes.TryRemove(form["device_code"].ToString(), out _);
                return Issue(grant.ApprovedAs, clientId, scope);
            }

            case "client_credentials":
                return registered == default
                    ? Error(401, "invalid_client", "AADSTS7000218: The request body must contain client_assertion or client_secret.")
                    : Issue(null, clientId, scope);

            default:
                return Error(400, "unsupported_grant_type", $"AADSTS70003: The grant type '{grantType}' is not supported.");
        }
    }

    // The shapes Entra answers: invalid_grant for a token that is dead, interaction_required (with the claims a new
    // sign-in must satisfy) for one that needs the user again.
    private TokenResult? RefreshRefused(RefreshGrant grant, string clientId)
    {
        var now = Clock.GetUtcNow();
        if (grant.ClientId != clientId)
        {
            return Error(400, "invalid_grant", "AADSTS70000: The provided grant is invalid or malformed: the refresh token was issued to another client.");
        }

        switch (grant.Refusal)
        {
            case RefreshRefusal.Revoked:
                return Error(400, "invalid_grant", "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.");
            case RefreshRefusal.SignInFrequency:
                return Error(400, "invalid_grant", string.Format(CultureInfo.InvariantCulture,
                    "AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on {0:o} and the maximum allowed lifetime for this request is {1}.",
                    grant.IssuedOn.UtcDateTime, TimeSpan.FromHours(1)));
            case RefreshRefusal.MfaRequired:
                return Error(400, "interaction_required",
                    $"AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{Audience}'.",
                    suberror: "basic_action", claims: MfaClaims);
            case RefreshRefusal.MfaExpired:
                return Error(400, "interaction_required",
                    $"AADSTS50078: Presented multi-factor authentication has expired due to policies configured by your administrator, you must refresh your multi-factor authentication to access '{Audience}'.",
                    suberror: "basic_action", claims: MfaClaims);
        }

        if (grant.IssuedOn + RefreshTokenLifetime <= now)
        {
            return Error(400, "invalid_grant", string.Format(CultureInfo.InvariantCulture,
                "AADSTS700082: The refresh token has expired due to inactivity. The token was issued on {0:o} and was inactive for {1:c}.",
                grant.IssuedOn.UtcDateTime, RefreshTokenLifetime));
        }

        return null;
    }

    private const string MfaClaims = "{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":[\"00000000-0000-4000-8000-00000000c0a1\"]}}}";

    private static bool ClientAuthenticated(string clientId, (string? Secret, X509Certificate2? Certificate) registered, IFormCollection form, out string error)
    {
        if (registered.Secret is not null && form.TryGetValue("client_secret", out var secret))
        {
            error = "AADSTS7000215: Invalid client secret provided.";
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret.ToString()), Encoding.UTF8.GetBytes(registered.Secret));
        }

        if (registered.Certificate is not null && form.TryGetValue("client_assertion", out var assertion))
        {
            error = "AADSTS700027: The client assertion is not signed by the registered certificate.";
            return AssertionValid(assertion.ToString(), clientId, registered.Certificate);
        }

        error = "AADSTS7000218: The request body must contain client_assertion or client_secret.";
        return false;
    }

    private static bool AssertionValid(string assertion, string clientId, X509Certificate2 certificate)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
        using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        var alg = header.RootElement.GetProperty("alg").GetString();
        var thumbprintMatches =
            (header.RootElement.TryGetProperty("x5t#S256", out var s256) && s256.GetString() == Base64Url(certificate.GetCertHash(HashAlgorithmName.SHA256)))
            || (header.RootElement.TryGetProperty("x5t", out var x5t) && x5t.GetString() == Base64Url(certificate.GetCertHash()));
        if (!thumbprintMatches || payload.RootElement.GetProperty("sub").GetString() != clientId)
        {
            return false;
        }

        using var rsa = certificate.GetRSAPublicKey()!;
        var padding = alg == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, padding);
    }

    private TokenResult Issue(SimulatedUser? user, string clientId, string scope)
    {
        var now = Clock.GetUtcNow();
        var lifetime = AccessTokenLifetime;
        var expires = now + lifetime;
        var amr = user is null ? [] : AuthenticationMethods;
        var claims = new Dictionary<string, object>
        {
            ["aud"] = Audience,
            ["iss"] = $"https://sts.windows.net/{(user?.TenantId ?? Guid.Empty)}/",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["appid"] = clientId,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        if (user is null)
        {
            claims["idtyp"] = "app";
            claims["roles"] = new[] { "Partner.Read.All" };
        }
        else
        {
            claims["idtyp"] = "user";
            claims["tid"] = user.TenantId.ToString();
            claims["oid"] = user.ObjectId.ToString();
            claims["upn"] = user.Upn;
            claims["scp"] = "user_impersonation";
            claims["amr"] = amr;
        }

        var accessToken = Jwt(new { alg = "RS256", typ = "JWT", kid = "simulator" }, claims) + Base64Url(RandomNumberGenerator.GetBytes(32));
        _accessTokens[accessToken] = (user, clientId, expires, amr, Audience);
        var response = new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["scope"] = scope,
            ["expires_in"] = (int)Math.Ceiling(lifetime.TotalSeconds),
            ["ext_expires_in"] = (int)Math.Ceiling(lifetime.TotalSeconds),
            ["access_token"] = accessToken,
        };
        if (user is not null)
        {
            var refreshToken = NewSecret("rt");
            _refreshTokens[refreshToken] = new RefreshGrant(user, clientId, now);
            response["refresh_token"] = refreshToken;
            response["id_token"] = Jwt(new { alg = "none", typ = "JWT" }, new Dictionary<string, object>
            {
                ["ver"] = "2.0",
                ["iss"] = $"{AuthorityHost}{user.TenantId}/v2.0",
                ["aud"] = clientId,
                ["iat"] = now.ToUnixTimeSeconds(),
                ["nbf"] = now.ToUnixTimeSeconds(),
                ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
                ["tid"] = user.TenantId.ToString(),
                ["oid"] = user.ObjectId.ToString(),
                ["sub"] = user.ObjectId.ToString(),
                ["preferred_username"] = user.Upn,
                ["name"] = user.Upn,
            });
            response["client_info"] = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { uid = user.ObjectId.ToString(), utid = user.TenantId.ToString() }));
        }

        return new TokenResult(200, null, JsonSerializer.Serialize(response));
    }

    private static TokenResult Error(int status, string error, string description, string? suberror = null, string? claims = null)
    {
        var body = new Dictionary<string, object>
        {
            ["error"] = error,
            ["error_description"] = description,
            ["error_codes"] = new[] { int.TryParse(description.AsSpan(6, Math.Max(0, description.IndexOf(':', StringComparison.Ordinal) - 6)), out var code) ? code : 0 },
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("u"),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        };
        if (suberror is not null)
        {
            body["suberror"] = suberror;
        }

        if (claims is not null)
        {
            body["claims"] = claims;
        }

        return new(status, error, JsonSerializer.Serialize(body));
    }

    private static string Jwt(object header, object payload) =>
        Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload)) + ".";

    private static string NewSecret(string prefix) => prefix + "." + Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private sealed record TokenResult(int StatusCode, string? Error, string Body);

    private sealed record CodeGrant(SimulatedUser User, string ClientId, string RedirectUri, string CodeChallenge);

    private enum RefreshRefusal
    {
        None,
        Revoked,
        SignInFrequency,
        MfaRequired,
        MfaExpired,
    }

    private sealed class RefreshGrant(SimulatedUser user, string clientId, DateTimeOffset issuedOn)
    {
        public SimulatedUser User { get; } = user;

        public string ClientId { get; } = clientId;

        public DateTimeOffset IssuedOn { get; } = issuedOn;

        public RefreshRefusal Refusal { get; set; }
    }

    private sealed class DeviceGrant(string userCode, string clientId, DateTimeOffset expiresOn)
    {
        public string UserCode { get; } = userCode;

        public string ClientId { get; } = clientId;

        public DateTimeOffset ExpiresOn { get; } = expiresOn;

        public SimulatedUser? ApprovedAs { get; set; }
    }
}
