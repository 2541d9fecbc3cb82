using System;
using System.Collections.Generic;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>
/// One thing to do before a deadline, from one Get-PCLicenseReduction row: return seats before their return window
/// closes, or cut seats at the renewal. A row that can do both gives two actions, each with its own deadline. A row
/// whose match is flagged (<see cref="IsFlagged"/>) and whose seats to cut are unknown gives an action of unknown
/// <see cref="Seats"/>: its deadline is real, and what to cut must be checked by hand.
/// </summary>
public sealed class RenewalAction
{
    /// <summary>Creates the action.</summary>
    public RenewalAction(RenewalActionKind kind, DateTimeOffset? deadline, long? seats, string? customer, string? product, IReadOnlyList<string> subscriptions)
    {
        Kind = kind;
        Deadline = deadline;
        Seats = seats;
        Customer = customer;
        Product = product;
        Subscriptions = subscriptions ?? throw new ArgumentNullException(nameof(subscriptions));
    }

    /// <summary>What is to be done.</summary>
    public RenewalActionKind Kind { get; }

    /// <summary>
    /// The moment the chance ends: the return window's close, or the renewal (the end of the term). Null for seats
    /// returnable now whose window's end Partner Center did not say: they are as urgent as any.
    /// </summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>
    /// The last day (UTC, inclusive) to act on: the day before a deadline at midnight UTC (a term that ends at
    /// 2027-02-01 00:00 UTC is acted on by 2027-01-31), otherwise the deadline's own day (see <see cref="EndsWithTheDay"/>).
    /// </summary>
    public DateTime? LastDay => Deadline is { } deadline ? LastDayOf(deadline) : null;

    /// <summary>Whether the deadline is a midnight UTC, so the whole of <see cref="LastDay"/> is left to act; false when it closes within that day.</summary>
    public bool EndsWithTheDay => Deadline is { } deadline && deadline.UtcDateTime.TimeOfDay == TimeSpan.Zero;

    /// <summary>The seats to return or cut; null when unknown (a flagged match).</summary>
    public long? Seats { get; }

    /// <summary>The customer's name, or its id when the row gave no name.</summary>
    public string? Customer { get; }

    /// <summary>The product's name, or its id.</summary>
    public string? Product { get; }

    /// <summary>Seats paid for and not in use; null when unknown.</summary>
    public long? UnusedSeats { get; init; }

    /// <summary>Seats paid for and assigned to nobody; null when unknown.</summary>
    public long? FreeSeats { get; init; }

    /// <summary>The names of the subscriptions that carry the seats.</summary>
    public IReadOnlyList<string> Subscriptions { get; }

    /// <summary>True when every subscription renews by itself, false when none does, null when some do or it is unknown.</summary>
    public bool? AutoRenewEnabled { get; init; }

    /// <summary>How the row's subscriptions were matched to the product.</summary>
    public LicenseMatch Match { get; init; }

    /// <summary>Why the match is flagged, as the row says it.</summary>
    public string? MatchNote { get; init; }

    /// <summary>Whether the match is Ambiguous, Missing or NotInAnalytics: its seats are not in the section's figures.</summary>
    public bool IsFlagged => IsFlaggedMatch(Match);

    /// <summary>Whether rows of <paramref name="match"/> are flagged: their seats to cut cannot be trusted (or are unknown).</summary>
    public static bool IsFlaggedMatch(LicenseMatch match) => match is LicenseMatch.Ambiguous or LicenseMatch.Missing or LicenseMatch.NotInAnalytics;

    /// <summary>The last day (UTC, inclusive) before a window that ends at <paramref name="deadline"/> (see <see cref="LastDay"/>).</summary>
    public static DateTime LastDayOf(DateTimeOffset deadline)
    {
        var utc = deadline.UtcDateTime;
        return utc.TimeOfDay == TimeSpan.Zero ? utc.Date.AddDays(-1) : utc.Date;
    }
}
