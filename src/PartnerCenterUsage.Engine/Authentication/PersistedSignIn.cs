using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using PartnerCenterUsage.Engine.Diagnostics;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// The MSAL side of a saved sign-in: the client application's cache joined to the <see cref="PersistentTokenCache"/>,
/// the silent sign-in from a saved account, and the record written after a sign-in.
/// </summary>
internal static class PersistedSignIn
{
    private static readonly ConditionalWeakTable<object, object> Persisted = new();

    /// <summary>
    /// Joins the application's cache to the saved one (when the options have one) and signs in silently from the saved
    /// account; null when there is none, the caller asked for a fresh sign-in, or the saved one needs the user again.
    /// </summary>
    public static async Task<AuthenticationResult?> SilentAsync(IPublicClientApplication app, PartnerSignInOptions options, PartnerSignInKind kind, CancellationToken cancellationToken)
    {
        if (options.TokenCache is not { } cache)
        {
            return null;
        }

        cache.Register(app.UserTokenCache);
        _ = Persisted.GetValue(app, _ => cache);
        if (options.ForceSignIn)
        {
            return null;
        }

        var account = SavedAccount(cache, options, kind, app.AppConfig.ClientId, await app.GetAccountsAsync().ConfigureAwait(false));
        if (account is null)
        {
            options.Log.Write(PartnerCenterLogLevel.Verbose, options.PreferredAccount is null
                ? $"No saved {kind} sign-in for this application: signing in."
                : $"No saved {kind} sign-in of {options.PreferredAccount}: signing in.");
            return null;
        }

        try
        {
            return await app.AcquireTokenSilent(options.Scopes, account).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MsalUiRequiredException ex)
        {
            options.Log.Write(PartnerCenterLogLevel.Verbose, $"The saved sign-in of {account.Username} needs the user again ({ex.ErrorCode}): signing in.");
            return null;
        }
    }

    /// <summary>
    /// Joins a Secure Application Model application's cache to the saved one through the notifications the caller
    /// already owns (the refresh token keeper's): loaded before every access, saved after every change.
    /// </summary>
    public static void Join(object app, ITokenCache tokenCache, PersistentTokenCache cache, Action<TokenCacheNotificationArgs> afterChange)
    {
        _ = Persisted.GetValue(app, _ => cache);
        tokenCache.SetBeforeAccess(args => args.TokenCache.DeserializeMsalV3(cache.Load(), shouldClearExistingCache: true));
        tokenCache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged)
            {
                cache.Store(args.TokenCache.SerializeMsalV3());
                afterChange(args);
            }
        });
    }

    /// <summary>
    /// Signs a Secure Application Model application in from its saved account, redeeming the saved refresh token (so
    /// that Entra gives a new one, which the cache keeps); null when no saved sign-in of this application is there.
    /// </summary>
    public static async Task<AuthenticationResult?> SilentConfidentialAsync(IConfidentialClientApplication app, PartnerSignInOptions options, CancellationToken cancellationToken)
    {
        if (options.TokenCache is not { } cache)
        {
            return null;
        }

        // Obsolete for web apps, whose cache holds many users; this cache is one partner user's, saved by this module.
#pragma warning disable CS0618
        var accounts = await app.GetAccountsAsync().ConfigureAwait(false);
#pragma warning restore CS0618
        var account = SavedAccount(cache, options, PartnerSignInKind.SecureApplicationModel, app.AppConfig.ClientId, accounts);
        return account is null
            ? null
            : await app.AcquireTokenSilent(options.Scopes, account).WithForceRefresh(true).ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The cache's account of the newest saved sign-in of this kind, application and environment (and of the account
    /// asked for, if any); null when there is none.
    /// </summary>
    private static IAccount? SavedAccount(PersistentTokenCache cache, PartnerSignInOptions options, PartnerSignInKind kind, string clientId, IEnumerable<IAccount> accounts)
    {
        var known = accounts.ToList();
        return cache.ReadSavedSignIns()
            .Where(s => s.SignInKind == kind.ToString() && s.Environment == options.Environment.ToString()
                && string.Equals(s.ClientId, clientId, StringComparison.OrdinalIgnoreCase)
                && (options.PreferredAccount is null || string.Equals(s.Account, options.PreferredAccount, StringComparison.OrdinalIgnoreCase)))
            .Select(s => known.FirstOrDefault(a => string.Equals(a.Username, s.Account, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(a => a is not null);
    }

    /// <summary>True when the application's cache is the saved one: signing out of the session then keeps it.</summary>
    public static bool Keeps(object app) => Persisted.TryGetValue(app, out _);

    /// <summary>Records the sign-in beside the saved cache and marks the connection with how its cache is kept.</summary>
    public static PartnerConnection Connected(PartnerConnection connection, PartnerSignInOptions options, PartnerSignInKind kind, string clientId, AuthenticationResult result, bool silently)
    {
        if (options.TokenCache is not { } cache)
        {
            return connection;
        }

        connection.TokenCache = cache.Protection;
        connection.SignedInSilently = silently;
        try
        {
            cache.Save(SavedSignIn.Of(result.Account?.Username, result.TenantId, options.Environment, clientId, kind, cache.Protection, connection.UtcNow));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The tokens are saved; only the record that picks the account next time is not.
            options.Log.Write(PartnerCenterLogLevel.Warning, $"The record of the saved sign-in could not be written ({ex.Message}); the next session may ask for the account again.");
        }

        return connection;
    }
}
