using System;
using System.Globalization;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// An access token and what is known about it. The token text is internal: nothing public, not even
/// <see cref="ToString"/>, exposes it.
/// </summary>
public sealed class AccessToken
{
    internal AccessToken(string value, DateTimeOffset? expiresOn, DateTimeOffset acquiredOn)
    {
        Value = value;
        Claims = AccessTokenClaims.TryParse(value);
        ExpiresOn = expiresOn ?? Claims?.ExpiresOn;
        AcquiredOn = acquiredOn;
    }

    /// <summary>When the token expires, when known.</summary>
    public DateTimeOffset? ExpiresOn { get; }

    /// <summary>When the token was obtained (for a token given by the user: when it was given).</summary>
    public DateTimeOffset AcquiredOn { get; }

    /// <summary>The token's claims, when it is a JWT.</summary>
    public AccessTokenClaims? Claims { get; }

    internal string Value { get; }

    /// <summary>
    /// True when the token should be renewed before use: it expires within five minutes, or within half its
    /// lifetime for short-lived tokens (so a 5-second token is not renewed on every request).
    /// </summary>
    public bool IsDueForRenewal(DateTimeOffset now)
    {
        if (ExpiresOn is not { } expiresOn)
        {
            return false;
        }

        var lifetime = expiresOn - AcquiredOn;
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, Math.Max(0, lifetime.Ticks / 2)));
        return expiresOn - now <= margin;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        ExpiresOn is { } expiresOn
            ? string.Format(CultureInfo.InvariantCulture, "access token expiring {0:u}", expiresOn)
            : "access token";
}
