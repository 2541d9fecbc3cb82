using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// Gives each request its access token. Swapped per sign-in kind: a fixed token given by the user,
/// or (later) an MSAL-backed provider that renews the token silently.
/// </summary>
public interface IAccessTokenProvider
{
    /// <summary>
    /// Returns a token for the next request. <paramref name="forceRefresh"/> asks for a new one
    /// after the service refused the current one; providers that cannot renew return the same token.
    /// </summary>
    Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}
