using System;
using System.Globalization;

namespace PartnerCenterUsage.Models;

/// <summary>
/// A batch of a subscription's seats that can still be removed for a refund (added or renewed lately, New Commerce),
/// and until when.
/// </summary>
public sealed class RefundableSeats
{
    /// <summary>Creates the batch.</summary>
    public RefundableSeats(long? quantity, DateTimeOffset? allowedUntil)
    {
        Quantity = quantity;
        AllowedUntil = allowedUntil;
    }

    /// <summary>The seats of the batch; empty when Partner Center did not say.</summary>
    public long? Quantity { get; }

    /// <summary>Until when they can be removed; empty when Partner Center did not say.</summary>
    public DateTimeOffset? AllowedUntil { get; }

    /// <summary>True when the batch can be removed at <paramref name="now"/>: its deadline is known and still ahead.</summary>
    public bool IsOpenAt(DateTimeOffset now) => AllowedUntil is { } until && until > now;

    /// <summary>"5 until 2026-12-08 10:00Z": what a CSV cell holds (dates in UTC, culture-invariant).</summary>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0} until {1}",
            Quantity?.ToString(CultureInfo.InvariantCulture) ?? "?",
            AllowedUntil?.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "?");
}
