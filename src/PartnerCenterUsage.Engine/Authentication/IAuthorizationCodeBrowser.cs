using System;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// The browser hop of interactive sign-in: shows the authorization page and returns the URL the identity
/// provider redirected to (with the code). The system browser in production; a fake in tests.
/// </summary>
public interface IAuthorizationCodeBrowser
{
    /// <summary>The redirect URI the application is built with (a loopback URL for the system browser).</summary>
    Uri RedirectUri { get; }

    /// <summary>Shows <paramref name="authorizationUri"/> and waits for the redirect to <paramref name="redirectUri"/>.</summary>
    Task<Uri> AcquireAuthorizationCodeAsync(Uri authorizationUri, Uri redirectUri, CancellationToken cancellationToken);
}
