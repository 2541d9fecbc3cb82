using System;
using System.Security.Cryptography.X509Certificates;
using PartnerCenterUsage.Engine.Diagnostics;
using PartnerCenterUsage.Engine.Http;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>Where and as what application to sign in. Every value has a default for the global cloud.</summary>
public sealed class PartnerSignInOptions
{
    /// <summary>The environment: API endpoint, authority and scope unless overridden.</summary>
    public PartnerCenterEnvironment Environment { get; set; } = PartnerCenterEnvironment.Global;

    /// <summary>A custom API base URL.</summary>
    public Uri? ApiEndpoint { get; set; }

    /// <summary>A custom authority host (https), for private or test environments; the tenant is appended.</summary>
    public Uri? AuthorityHost { get; set; }

    /// <summary>The tenant to sign in to: a GUID, a domain, or organizations/common.</summary>
    public string TenantId { get; set; } = PartnerCenterEndpoints.DefaultTenant;

    /// <summary>The application (client) id; the default public client when null and the flow allows it.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>
    /// The one certificate to trust for a custom loopback authority (a local test identity provider with a
    /// self-signed certificate). Matched exactly; refused for any other authority.
    /// </summary>
    public X509Certificate2? TrustedAuthorityCertificate { get; set; }

    /// <summary>Settings of the Partner Center client the connection gets.</summary>
    public PartnerCenterClientOptions? ClientOptions { get; set; }

    /// <summary>Where prompts (the device code message) and diagnostics go.</summary>
    public IPartnerCenterLog Log { get; set; } = NullPartnerCenterLog.Instance;

    /// <summary>
    /// The saved token cache to sign in from and to save the sign-in in (interactive and device code); in memory only
    /// when null.
    /// </summary>
    public PersistentTokenCache? TokenCache { get; set; }

    /// <summary>Of several saved accounts, the one (UPN) to sign in silently as.</summary>
    public string? PreferredAccount { get; set; }

    /// <summary>Sign in afresh even when a saved sign-in could be used silently.</summary>
    public bool ForceSignIn { get; set; }

    internal string[] Scopes => new[] { PartnerCenterEndpoints.GetUserScope(Environment) };

    internal string Authority
    {
        get
        {
            var host = AuthorityHost is null ? PartnerCenterEndpoints.GetAuthorityHost(Environment) : PartnerCenterEndpoints.NormalizeCustomAuthority(AuthorityHost);
            return new Uri(host, Uri.EscapeDataString(string.IsNullOrWhiteSpace(TenantId) ? PartnerCenterEndpoints.DefaultTenant : TenantId.Trim())).ToString();
        }
    }

    internal void Validate()
    {
        if (TrustedAuthorityCertificate is not null && (AuthorityHost is null || !AuthorityHost.IsLoopback))
        {
            throw new PartnerCenterEndpointException(
                "A certificate to trust can only be given for a custom authority on a loopback host (a local test identity provider).");
        }

        _ = Authority;
        _ = ApiEndpoint is null ? null : PartnerCenterEndpoints.NormalizeCustomEndpoint(ApiEndpoint);
    }
}
