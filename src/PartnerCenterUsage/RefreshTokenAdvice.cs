using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage;

/// <summary>What to do when the identity provider refuses a Secure Application Model refresh token: the cmdlet layer's advice.</summary>
internal static class RefreshTokenAdvice
{
    /// <summary>Entra's refresh tokens die this long after they were issued, however often they were used.</summary>
    public const int LifetimeDays = 90;

    /// <summary>A kept refresh token older than this is warned about: it dies within a month.</summary>
    public const int WarnAfterDays = 60;

    private const string KeepIt =
        " From then on let Connect-PCPartner keep the renewed token for the next run: -RefreshTokenVault <vault> -RefreshTokenSecretName <name>, -OnRefreshTokenRenewed { param($token, $issuedOn) ... }, or -ContextScope CurrentUser.";

    public static string For(SignInFailure failure) => failure switch
    {
        SignInFailure.RefreshTokenExpired =>
            $"The refresh token has expired: Entra's refresh tokens die {LifetimeDays} days after they were issued, however often they were used, and each use returns a new one. " +
            "Get a new refresh token with an MFA sign-in of the partner user and store it where the job reads it." + KeepIt,
        SignInFailure.RefreshTokenRevoked =>
            "The refresh token was revoked (a password reset, an administrator's revocation, a sign-in frequency policy) or is not a valid token of this application. " +
            "Get a new refresh token with an MFA sign-in of the partner user, through this application, and store it where the job reads it." + KeepIt,
        SignInFailure.MfaRequired =>
            "The sign-in service asks for multi-factor authentication again (a Conditional Access policy). " +
            "Sign the partner user in interactively with MFA to get a new refresh token for the Secure Application Model.",
        SignInFailure.NoSavedSignIn =>
            "Run the job once with -RefreshToken <token> -ContextScope CurrentUser (a refresh token from an MFA sign-in of the partner user): later runs with -ContextScope CurrentUser need none. " +
            "If Connect-PCPartner warned that the sign-in is not saved, this account has no encrypted store: keep the token in a vault with -RefreshTokenVault instead.",
        _ => "Check the application id, tenant, secret or certificate, and that the user completed the sign-in with MFA.",
    };
}
