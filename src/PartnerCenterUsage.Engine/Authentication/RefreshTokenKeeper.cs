using System;
using System.Net;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// The newest refresh token of a Secure Application Model connection. Entra replaces a refresh token with a new one on
/// every use and the old one still dies 90 days after it was issued, so an unattended job must keep the newest one for
/// its next run. MSAL never returns it: it lives in MSAL's own token cache, which the connection reads after every
/// change. The token leaves only as a <see cref="SecureString"/> copy; the keeper holds no string of it.
/// </summary>
public sealed class RefreshTokenKeeper
{
    private readonly object _lock = new();
    private readonly TimeProvider _clock;
    private SecureString? _token;
    private byte[]? _hash;

    internal RefreshTokenKeeper(TimeProvider clock) => _clock = clock;

    /// <summary>
    /// Raised, on whatever thread MSAL renewed on, when the refresh token changes: at Connect (the exchange returns a
    /// new one) and at every later renewal. A handler must not block: it runs inside MSAL's cache access.
    /// </summary>
    public event EventHandler<RefreshTokenRenewedEventArgs>? Renewed;

    /// <summary>When the engine saw the current token, on the connection's clock; null before the first.</summary>
    public DateTimeOffset? IssuedOn { get; private set; }

    /// <summary>How many tokens the keeper has seen: 0 before the first. A writer compares it with what it wrote last.</summary>
    public int Version { get; private set; }

    /// <summary>A read-only copy of the newest refresh token, or null before the first. The caller owns (and may dispose) the copy.</summary>
    public SecureString? Copy()
    {
        lock (_lock)
        {
            if (_token is null)
            {
                return null;
            }

            var copy = _token.Copy();
            copy.MakeReadOnly();
            return copy;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Version == 0 ? "no refresh token yet" : $"refresh token {Version}, seen {IssuedOn:u}";

    /// <summary>
    /// Reads the refresh token of <paramref name="homeAccountId"/> (or the only one) from an MSAL cache serialized as
    /// MsalV3 JSON, and takes it when it is new. The buffer is cleared afterwards: it holds every token of the cache.
    /// </summary>
    /// <remarks>
    /// Only the refresh tokens of <paramref name="clientId"/>: a saved cache holds the user's other sign-ins too (a browser
    /// sign-in's token of the public client), which the job's application cannot redeem and must never hand out.
    /// </remarks>
    internal void ObserveMsalV3Cache(byte[] serialized, string? homeAccountId, string clientId)
    {
        string? secret;
        try
        {
            secret = FindRefreshToken(serialized, homeAccountId, clientId);
        }
        finally
        {
            Array.Clear(serialized, 0, serialized.Length);
        }

        if (secret is not null)
        {
            Observe(secret);
        }
    }

    /// <summary>Takes <paramref name="secret"/> as the newest refresh token unless it is the current one.</summary>
    internal void Observe(string secret)
    {
        RefreshTokenRenewedEventArgs renewed;
        using (var sha = SHA256.Create())
        {
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(secret));
            lock (_lock)
            {
                if (_hash is not null && CryptographicEquals(_hash, hash))
                {
                    return;
                }

                var token = new NetworkCredential(string.Empty, secret).SecurePassword;
                token.MakeReadOnly();
                _token?.Dispose();
                _token = token;
                _hash = hash;
                IssuedOn = _clock.GetUtcNow();
                Version++;
                renewed = new RefreshTokenRenewedEventArgs(IssuedOn.Value, Version);
            }
        }

        Renewed?.Invoke(this, renewed);
    }

    private static string? FindRefreshToken(byte[] serialized, string? homeAccountId, string clientId)
    {
        using var document = JsonDocument.Parse(serialized);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("RefreshToken", out var entries) || entries.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? only = null;
        var count = 0;
        foreach (var entry in entries.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("secret", out var secret) || secret.ValueKind != JsonValueKind.String
                || !entry.Value.TryGetProperty("client_id", out var client) || !string.Equals(client.GetString(), clientId, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (homeAccountId is not null && entry.Value.TryGetProperty("home_account_id", out var account)
                && string.Equals(account.GetString(), homeAccountId, StringComparison.OrdinalIgnoreCase))
            {
                return secret.GetString();
            }

            only = secret.GetString();
            count++;
        }

        // The application's tokens of one account; with several and no account to tell them apart, none is a safe guess.
        return count == 1 ? only : null;
    }

    private static bool CryptographicEquals(byte[] a, byte[] b)
    {
        var difference = a.Length ^ b.Length;
        for (var i = 0; i < a.Length && i < b.Length; i++)
        {
            difference |= a[i] ^ b[i];
        }

        return difference == 0;
    }
}
