namespace PartnerCenterUsage.Engine;

/// <summary>
/// What the identity provider said was wrong with a sign-in, when it said something the user can act on. Read from
/// Entra's AADSTS error codes, which are the stable part of its answer (the text is not).
/// </summary>
public enum SignInFailure
{
    /// <summary>Anything else: the message carries what the identity provider said.</summary>
    Other = 0,

    /// <summary>The refresh token outlived its life (AADSTS700082, 70008): a new MFA sign-in is needed.</summary>
    RefreshTokenExpired,

    /// <summary>The refresh token was revoked, cut by a sign-in frequency policy, or is not valid (AADSTS50173, 70043, 70000...).</summary>
    RefreshTokenRevoked,

    /// <summary>The user must complete multi-factor authentication (again) (AADSTS50076, 50078, 50079).</summary>
    MfaRequired,

    /// <summary>No refresh token was given and no saved Secure Application Model sign-in of this application is there to use.</summary>
    NoSavedSignIn,
}
