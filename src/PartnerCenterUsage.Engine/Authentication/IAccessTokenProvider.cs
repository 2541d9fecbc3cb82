using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// Gives each request its access token, per sign-in kind: a fixed token given by the user, or an MSAL-backed
/// provider that renews the token silently. Safe for concurrent use.
/// </summary>
public interface IAccessTokenProvider
{
    /// <summary>How the provider signed in.</summary>
    PartnerSignInKind SignInKind { get; }

    /// <summary>The token most recently obtained (for display: expiry, account).</summary>
    AccessToken Current { get; }

    /// <summary>The scopes tokens are requested with (empty when unknown).</summary>
    string[] Scopes { get; }

    /// <summary>The token for the next request: the current one, or a renewed one when it is due.</summary>
    /// <exception cref="PartnerCenterSignInException">The token was due and could not be renewed.</exception>
    Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A new token after the service refused <paramref name="rejected"/>; null when this provider cannot renew.
    /// Concurrent callers with the same rejected token share one renewal.
    /// </summary>
    /// <exception cref="PartnerCenterSignInException">The renewal failed.</exception>
    Task<AccessToken?> RenewAsync(AccessToken rejected, CancellationToken cancellationToken);

    /// <summary>Forgets every token and account (Disconnect).</summary>
    Task SignOutAsync(CancellationToken cancellationToken);
}
