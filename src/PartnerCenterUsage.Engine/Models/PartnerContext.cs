using System;
using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage.Models;

/// <summary>How a connection signed in.</summary>
public enum PartnerSignInKind
{
    /// <summary>An access token given by the user; it cannot be renewed.</summary>
    AccessToken,
}

/// <summary>
/// What a connection is, as shown to the user by Connect-PCPartner and Get-PCContext.
/// It never holds a token or a secret.
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

    /// <summary>The Partner Center environment.</summary>
    public PartnerCenterEnvironment Environment { get; }

    /// <summary>The API base URL requests go to.</summary>
    public Uri ApiEndpoint { get; }

    /// <summary>How the connection signed in.</summary>
    public PartnerSignInKind SignInKind { get; }

    /// <summary>The signed-in account (UPN), when the token names it.</summary>
    public string? Account { get; init; }

    /// <summary>The partner tenant id, when the token names it.</summary>
    public Guid? TenantId { get; init; }

    /// <summary>The application the token was issued to, when the token names it.</summary>
    public string? ApplicationId { get; init; }

    /// <summary>When the current access token expires, when the token says.</summary>
    public DateTimeOffset? TokenExpiresOn { get; init; }

    /// <summary>True when the token says MFA was performed, false when it says it was not, null when it does not say.</summary>
    public bool? MfaAuthenticated { get; init; }

    /// <summary>When the connection was made.</summary>
    public DateTimeOffset ConnectedOn { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Account ?? "(unknown account)"} @ {ApiEndpoint}";
}
