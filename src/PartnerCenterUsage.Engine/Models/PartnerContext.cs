using System;
using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage.Models;

/// <summary>How a connection signed in.</summary>
public enum PartnerSignInKind
{
    /// <summary>An access token given by the user; it cannot be renewed.</summary>
    AccessToken,

    /// <summary>A user in the system browser; renewed silently.</summary>
    Interactive,

    /// <summary>A user with a device code on another device; renewed silently.</summary>
    DeviceCode,

    /// <summary>An application (secret or certificate) with a user's refresh token, for unattended runs; renewed silently.</summary>
    SecureApplicationModel,
}

/// <summary>
/// What a connection is, as shown to the user by Connect-PCPartner and Get-PCContext: a snapshot of scalars
/// that never holds a token or a secret.
/// </summary>
public sealed class PartnerContext
{
    /// <summary>Creates the context.</summary>
    public PartnerContext(PartnerCenterEnvironment environment, Uri apiEndpoint, PartnerSignInKind signInKind, DateTimeOffset connectedOn)
    {
        Environment = environment;
        ApiEndpoint = apiEndpoint;
        SignInKind = signInKind;
        ConnectedOn = connectedOn;
    }

    /// <summary>The signed-in account (UPN), when known.</summary>
    public string? Account { get; init; }

    /// <summary>The partner tenant id, when known.</summary>
    public Guid? TenantId { get; init; }

    /// <summary>The Partner Center environment.</summary>
    public PartnerCenterEnvironment Environment { get; }

    /// <summary>The API base URL requests go to.</summary>
    public Uri ApiEndpoint { get; }

    /// <summary>How the connection signed in.</summary>
    public PartnerSignInKind SignInKind { get; }

    /// <summary>The application the token was issued to, when known.</summary>
    public string? ApplicationId { get; init; }

    /// <summary>The scopes of the token, space-separated.</summary>
    public string? Scopes { get; init; }

    /// <summary>When the current access token expires, when known. Renewed connections move it forward.</summary>
    public DateTimeOffset? TokenExpiresOn { get; init; }

    /// <summary>True when the token says MFA was performed, false when it says it was not, null when it does not say.</summary>
    public bool? MfaAuthenticated { get; init; }

    /// <summary>Where the token cache lives: Memory (this session only), Encrypted or Plaintext (saved for later sessions).</summary>
    public TokenCacheProtection TokenCache { get; init; }

    /// <summary>When the connection was made.</summary>
    public DateTimeOffset ConnectedOn { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Account ?? "(unknown account)"} @ {ApiEndpoint}";
}
