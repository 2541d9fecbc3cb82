using System;
using System.Net.Http;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.Extensibility;
using PartnerCenterUsage.Engine.Diagnostics;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>The MSAL side of <see cref="PartnerSignIn"/>: every type that names MSAL lives here.</summary>
internal static class MsalSignIn
{
    /// <summary>Interactive sign-in of a user in the system browser (or the given browser hop).</summary>
    /// <exception cref="PartnerCenterSignInException">The sign-in failed or was declined.</exception>
    internal static async Task<PartnerConnection> InteractiveAsync(
        PartnerSignInOptions options, IAuthorizationCodeBrowser? browser, CancellationToken cancellationToken)
    {
        options.Validate();
        browser ??= new SystemBrowser();
        var app = (PublicClientApplication)Configure(PublicClientApplicationBuilder.Create(options.ApplicationId ?? PartnerCenterEndpoints.DefaultPublicClientId), options, out var owned)
            .WithRedirectUri(browser.RedirectUri.ToString())
            .Build();
        if (await PersistedSignIn.SilentAsync(app, options, PartnerSignInKind.Interactive, cancellationToken).ConfigureAwait(false) is { } saved)
        {
            return PersistedSignIn.Connected(
                Connect(options, PartnerSignInKind.Interactive, saved, PublicRenewal(app, options.Scopes, saved.Account), ct => SignOut(app, saved.Account, owned, ct)),
                options, PartnerSignInKind.Interactive, app.AppConfig.ClientId, saved, silently: true);
        }

        var first = await SignInAsync(options, cancellationToken, () => app.AcquireTokenInteractive(options.Scopes)
            .WithPrompt(Prompt.SelectAccount)
            .WithCustomWebUi(new BrowserWebUi(browser))
            .ExecuteAsync(cancellationToken)).ConfigureAwait(false);
        return PersistedSignIn.Connected(
            Connect(options, PartnerSignInKind.Interactive, first, PublicRenewal(app, options.Scopes, first.Account), ct => SignOut(app, first.Account, owned, ct)),
            options, PartnerSignInKind.Interactive, app.AppConfig.ClientId, first, silently: false);
    }

    /// <summary>Device code sign-in: the code and URL go to the log's prompt at once; the wait ends with the sign-in or the cancellation.</summary>
    /// <exception cref="PartnerCenterSignInException">The sign-in failed, was declined or the code expired.</exception>
    internal static async Task<PartnerConnection> DeviceCodeAsync(PartnerSignInOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        var app = (PublicClientApplication)Configure(PublicClientApplicationBuilder.Create(options.ApplicationId ?? PartnerCenterEndpoints.DefaultPublicClientId), options, out var owned).Build();
        if (await PersistedSignIn.SilentAsync(app, options, PartnerSignInKind.DeviceCode, cancellationToken).ConfigureAwait(false) is { } saved)
        {
            return PersistedSignIn.Connected(
                Connect(options, PartnerSignInKind.DeviceCode, saved, PublicRenewal(app, options.Scopes, saved.Account), ct => SignOut(app, saved.Account, owned, ct)),
                options, PartnerSignInKind.DeviceCode, app.AppConfig.ClientId, saved, silently: true);
        }

        var first = await SignInAsync(options, cancellationToken, () => app.AcquireTokenWithDeviceCode(options.Scopes, code =>
            {
                options.Log.Write(PartnerCenterLogLevel.Prompt, code.Message);
                return Task.CompletedTask;
            }).ExecuteAsync(cancellationToken)).ConfigureAwait(false);
        return PersistedSignIn.Connected(
            Connect(options, PartnerSignInKind.DeviceCode, first, PublicRenewal(app, options.Scopes, first.Account), ct => SignOut(app, first.Account, owned, ct)),
            options, PartnerSignInKind.DeviceCode, app.AppConfig.ClientId, first, silently: false);
    }

    /// <summary>
    /// The Secure Application Model, for unattended runs: an application with a secret or a certificate exchanges a
    /// user's refresh token (obtained once with MFA) for access tokens, and renews them from MSAL's cache.
    /// </summary>
    /// <exception cref="PartnerCenterSignInException">The exchange failed (refresh token expired or revoked, wrong secret...).</exception>
    internal static async Task<PartnerConnection> SecureApplicationModelAsync(
        PartnerSignInOptions options, SecureString? refreshToken, SecureString? clientSecret, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        options.Validate();
        if (string.IsNullOrWhiteSpace(options.ApplicationId))
        {
            throw new PartnerCenterSignInException("The Secure Application Model needs the application id of the partner's app.", duringRenewal: false);
        }

        if ((clientSecret is null) == (certificate is null))
        {
            throw new PartnerCenterSignInException("The Secure Application Model needs either an application secret or a certificate.", duringRenewal: false);
        }

        var builder = Configure(ConfidentialClientApplicationBuilder.Create(options.ApplicationId), options, out var owned);
        builder = certificate is null ? builder.WithClientSecret(Reveal(clientSecret!)) : builder.WithCertificate(certificate);
        var app = (ConfidentialClientApplication)builder.Build();
        var keeper = KeepRefreshTokens(app, options);

        // Without a refresh token, the saved sign-in's: redeemed from the encrypted cache, which keeps the new one.
        AuthenticationResult? saved = null;
        if (refreshToken is null)
        {
            saved = await SignInAsync(options, cancellationToken, () => PersistedSignIn.SilentConfidentialAsync(app, options, cancellationToken)!, redeemingRefreshToken: true)
                .ConfigureAwait(false);
            if (saved is null)
            {
                throw new PartnerCenterSignInException(
                    options.TokenCache is null
                        ? "The Secure Application Model needs the user's refresh token."
                        : "No Secure Application Model sign-in of this application is saved for this user: give the refresh token once, with the sign-in saved.",
                    duringRenewal: false)
                {
                    Failure = SignInFailure.NoSavedSignIn,
                };
            }
        }

        var first = saved ?? await SignInAsync(options, cancellationToken, () => ((IByRefreshToken)app).AcquireTokenByRefreshToken(options.Scopes, Reveal(refreshToken!)).ExecuteAsync(cancellationToken), redeemingRefreshToken: true)
            .ConfigureAwait(false);
        var account = first.Account;
        Task<AuthenticationResult> Renew(CancellationToken ct) => account is not null || refreshToken is null
            ? app.AcquireTokenSilent(options.Scopes, account).WithForceRefresh(true).ExecuteAsync(ct)
            : ((IByRefreshToken)app).AcquireTokenByRefreshToken(options.Scopes, Reveal(refreshToken)).ExecuteAsync(ct);
        var connection = Connect(options, PartnerSignInKind.SecureApplicationModel, first, Renew, ct => SignOut(app, account, owned, ct));
        connection.KeptRefreshToken = keeper;
        return PersistedSignIn.Connected(connection, options, PartnerSignInKind.SecureApplicationModel, app.AppConfig.ClientId, first, silently: saved is not null);
    }

    /// <summary>
    /// Reads the refresh token MSAL keeps after every change of its cache: MSAL returns access tokens only, and Entra
    /// replaces the refresh token on each use.
    /// </summary>
    private static RefreshTokenKeeper KeepRefreshTokens(ConfidentialClientApplication app, PartnerSignInOptions options)
    {
        var keeper = new RefreshTokenKeeper(options.ClientOptions?.TimeProvider ?? TimeProvider.System);
        void Observe(TokenCacheNotificationArgs args) => keeper.ObserveMsalV3Cache(args.TokenCache.SerializeMsalV3(), args.Account?.HomeAccountId?.Identifier, app.AppConfig.ClientId);
        if (options.TokenCache is { } cache)
        {
            // Saved for later sessions too: the encrypted cache keeps the newest refresh token itself.
            PersistedSignIn.Join(app, app.UserTokenCache, cache, Observe);
            return keeper;
        }

        app.UserTokenCache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged)
            {
                Observe(args);
            }
        });
        return keeper;
    }

    private static T Configure<T>(T builder, PartnerSignInOptions options, out IDisposable? owned)
        where T : AbstractApplicationBuilder<T>
    {
        owned = null;
        var custom = options.AuthorityHost is not null;
        builder = builder.WithAuthority(options.Authority, validateAuthority: !custom);
        if (custom)
        {
            builder = builder.WithInstanceDiscovery(false);
        }

        if (options.TrustedAuthorityCertificate is not null)
        {
            var factory = new PinnedCertificateHttpClientFactory(options.TrustedAuthorityCertificate);
            owned = factory;
            builder = builder.WithHttpClientFactory(factory);
        }

        return builder;
    }

    private static Func<CancellationToken, Task<AuthenticationResult>> PublicRenewal(IPublicClientApplication app, string[] scopes, IAccount account) =>
        ct => app.AcquireTokenSilent(scopes, account).WithForceRefresh(true).ExecuteAsync(ct);

    private static async Task SignOut(ClientApplicationBase app, IAccount? account, IDisposable? owned, CancellationToken cancellationToken)
    {
        try
        {
            // A saved sign-in outlives the session: only Disconnect-PCPartner -RemoveSavedSignIn removes it.
            if (account is not null && !PersistedSignIn.Keeps(app))
            {
                await app.RemoveAsync(account, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private static async Task<AuthenticationResult> SignInAsync(
        PartnerSignInOptions options, CancellationToken cancellationToken, Func<Task<AuthenticationResult>> acquire, bool redeemingRefreshToken = false)
    {
        try
        {
            return await acquire().ConfigureAwait(false);
        }
        catch (MsalException ex)
        {
            throw new PartnerCenterSignInException(
                $"Signing in to Partner Center failed ({ex.ErrorCode}): {MsalTokenProvider.FirstLine(ex.Message)}", duringRenewal: false, ex.ErrorCode, ex)
            {
                Failure = MsalSignInFailures.Classify(ex, redeemingRefreshToken),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // MSAL lets a connection that fails or times out through as it is, not as an MsalException.
            throw new PartnerCenterSignInException(
                $"Signing in to Partner Center failed: the sign-in service {options.Authority} could not be reached: {MsalTokenProvider.FirstLine(ex.Message)}",
                duringRenewal: false,
                errorCode: null,
                ex);
        }
    }

    private static PartnerConnection Connect(
        PartnerSignInOptions options, PartnerSignInKind kind, AuthenticationResult first,
        Func<CancellationToken, Task<AuthenticationResult>> renew, Func<CancellationToken, Task> signOut)
    {
        var provider = new MsalTokenProvider(kind, options.Scopes, first, renew, signOut, options.ClientOptions?.TimeProvider ?? TimeProvider.System);
        return new PartnerConnection(
            options.Environment,
            PartnerConnection.ResolveApiEndpoint(options.Environment, options.ApiEndpoint),
            provider,
            options.ClientOptions,
            first.Account?.Username);
    }

    private static string Reveal(SecureString secret) => SecretText.Reveal(secret);

    /// <summary>Adapts the module's browser hop to MSAL's custom web UI extension point.</summary>
    private sealed class BrowserWebUi(IAuthorizationCodeBrowser browser) : ICustomWebUi
    {
        public Task<Uri> AcquireAuthorizationCodeAsync(Uri authorizationUri, Uri redirectUri, CancellationToken cancellationToken) =>
            browser.AcquireAuthorizationCodeAsync(authorizationUri, redirectUri, cancellationToken);
    }
}
