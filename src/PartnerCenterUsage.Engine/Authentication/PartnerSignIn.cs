using System.Runtime.CompilerServices;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// Signs in through MSAL and returns a connection whose token renews itself. MSAL does every OAuth exchange; each
/// connection gets its own client application and in-memory token cache.
/// </summary>
/// <remarks>
/// MSAL is loaded only when one of these methods runs, so a connection by access token never loads it. That is why
/// this class names no MSAL type, not even in a generic constraint (loading a type checks those), and why its methods
/// are never inlined: the MSAL code sits in <see cref="MsalSignIn"/>, whose async state machines hold MSAL types.
/// </remarks>
public static class PartnerSignIn
{
    /// <summary>Interactive sign-in of a user in the system browser (or the given browser hop).</summary>
    /// <exception cref="PartnerCenterSignInException">The sign-in failed or was declined.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Task<PartnerConnection> InteractiveAsync(PartnerSignInOptions options, IAuthorizationCodeBrowser? browser, CancellationToken cancellationToken) =>
        MsalSignIn.InteractiveAsync(options, browser, cancellationToken);

    /// <summary>Device code sign-in: the code and URL go to the log's prompt at once; the wait ends with the sign-in or the cancellation.</summary>
    /// <exception cref="PartnerCenterSignInException">The sign-in failed, was declined or the code expired.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Task<PartnerConnection> DeviceCodeAsync(PartnerSignInOptions options, CancellationToken cancellationToken) =>
        MsalSignIn.DeviceCodeAsync(options, cancellationToken);

    /// <summary>
    /// The Secure Application Model, for unattended runs: an application with a secret or a certificate exchanges a
    /// user's refresh token (obtained once with MFA) for access tokens, and renews them from MSAL's cache.
    /// </summary>
    /// <exception cref="PartnerCenterSignInException">The exchange failed (refresh token expired or revoked, wrong secret...).</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Task<PartnerConnection> SecureApplicationModelAsync(
        PartnerSignInOptions options, SecureString? refreshToken, SecureString? clientSecret, X509Certificate2? certificate, CancellationToken cancellationToken) =>
        MsalSignIn.SecureApplicationModelAsync(options, refreshToken, clientSecret, certificate, cancellationToken);
}
