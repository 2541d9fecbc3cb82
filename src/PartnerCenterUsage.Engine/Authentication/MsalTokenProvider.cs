using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// Tokens from one MSAL client application and its own in-memory cache. Renewal is single-flight: however many
/// requests find the token due (or refused) at once, one token request is made and all of them use its result.
/// A renewal that fails while the current token is still valid (renewal starts minutes before expiry) keeps that
/// token, and its failure is shared for a few seconds instead of being asked again by every waiting request; only
/// when the token has expired, or was refused, does the failure end the run.
/// </summary>
internal sealed class MsalTokenProvider : IAccessTokenProvider
{
    private readonly Func<CancellationToken, Task<AuthenticationResult>> _renew;
    private readonly TimeProvider _clock;
    private readonly Func<CancellationToken, Task> _signOut;
    private static readonly TimeSpan FailureSharedFor = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _renewal = new(1, 1);
    private AccessToken _current;
    private AccessToken? _failedFor;
    private DateTimeOffset _failedAt;
    private PartnerCenterSignInException? _failure;

    public MsalTokenProvider(
        PartnerSignInKind kind,
        string[] scopes,
        AuthenticationResult first,
        Func<CancellationToken, Task<AuthenticationResult>> renew,
        Func<CancellationToken, Task> signOut,
        TimeProvider clock)
    {
        SignInKind = kind;
        Scopes = scopes;
        _clock = clock;
        _current = ToAccessToken(first, clock);
        _renew = renew;
        _signOut = signOut;
    }

    public PartnerSignInKind SignInKind { get; }

    public string[] Scopes { get; }

    public AccessToken Current => Volatile.Read(ref _current);

    public Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var current = Current;
        return current.IsDueForRenewal(_clock.GetUtcNow()) ? RenewCoreAsync(current, refused: false, cancellationToken) : Task.FromResult(current);
    }

    public async Task<AccessToken?> RenewAsync(AccessToken rejected, CancellationToken cancellationToken) =>
        await RenewCoreAsync(rejected, refused: true, cancellationToken).ConfigureAwait(false);

    public async Task SignOutAsync(CancellationToken cancellationToken)
    {
        await _renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _signOut(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _renewal.Release();
        }
    }

    public override string ToString() => $"{nameof(MsalTokenProvider)} ({SignInKind})";

    /// <summary>
    /// MSAL dates the expiry by the machine's clock; the provider keeps the token's lifetime and dates it by its own
    /// clock, which is the machine's too except in tests that move time forward.
    /// </summary>
    internal static AccessToken ToAccessToken(AuthenticationResult result, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return new(result.AccessToken, now + (result.ExpiresOn - DateTimeOffset.UtcNow), now);
    }

    private async Task<AccessToken> RenewCoreAsync(AccessToken stale, bool refused, CancellationToken cancellationToken)
    {
        await _renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another request renewed while this one waited: use its token.
            var now = _clock.GetUtcNow();
            var current = Current;
            if (!ReferenceEquals(current, stale) && !current.IsDueForRenewal(now))
            {
                return current;
            }

            // The renewal of this same token failed moments ago: share that outcome rather than ask again.
            if (ReferenceEquals(_failedFor, stale) && now - _failedAt < FailureSharedFor)
            {
                return StillUsable(current, refused, now) ? current : throw _failure!;
            }

            AuthenticationResult result;
            try
            {
                result = await _renew(cancellationToken).ConfigureAwait(false);
            }
            catch (MsalException ex)
            {
                _failure = new PartnerCenterSignInException(
                    $"The Partner Center sign-in could not be renewed ({ex.ErrorCode}): {FirstLine(ex.Message)}",
                    duringRenewal: true,
                    ex.ErrorCode,
                    ex)
                {
                    Failure = MsalSignInFailures.Classify(ex, redeemingRefreshToken: true),
                };
                _failedFor = stale;
                _failedAt = now;
                return StillUsable(current, refused, now) ? current : throw _failure;
            }

            var renewed = ToAccessToken(result, _clock);
            Volatile.Write(ref _current, renewed);
            return renewed;
        }
        finally
        {
            _renewal.Release();
        }
    }

    // A token renewed early that the service has not refused stays good until it expires.
    private static bool StillUsable(AccessToken token, bool refused, DateTimeOffset now) =>
        !refused && token.ExpiresOn is { } expiresOn && expiresOn > now.AddSeconds(1);

    internal static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.EndsWith(".", StringComparison.Ordinal) ? line : line + ".";
    }
}
