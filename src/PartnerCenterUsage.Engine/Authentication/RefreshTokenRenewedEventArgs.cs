using System;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>A connection's refresh token was replaced by a newer one: the token itself is read from <see cref="RefreshTokenKeeper.Copy"/>.</summary>
public sealed class RefreshTokenRenewedEventArgs : EventArgs
{
    /// <summary>Creates the event's data.</summary>
    public RefreshTokenRenewedEventArgs(DateTimeOffset issuedOn, int version)
    {
        IssuedOn = issuedOn;
        Version = version;
    }

    /// <summary>When the engine saw the new token, on the connection's clock: the start of its life as far as the module can tell.</summary>
    public DateTimeOffset IssuedOn { get; }

    /// <summary>The keeper's <see cref="RefreshTokenKeeper.Version"/> with this token.</summary>
    public int Version { get; }
}
