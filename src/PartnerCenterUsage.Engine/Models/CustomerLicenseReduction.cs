using System;
using System.Globalization;

namespace PartnerCenterUsage.Models;

/// <summary>
/// One product of one customer: the seats paid for, assigned and active (Partner Center's analytics), the subscriptions
/// of this partner that carry them, and what can be cut by when: seats returnable now for a refund and until when, seats
/// that can be cut at the next renewal and its date. Flat, for Export-Csv. A figure that cannot be known from what
/// Partner Center sent is null (empty), never a made-up 0; <see cref="Match"/> says how (and whether) the subscriptions
/// were matched to the product.
/// </summary>
public sealed class CustomerLicenseReduction
{
    /// <summary>The customer's id.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>The customer's name, as the analytics (or the input) give it.</summary>
    public string? CustomerName { get; set; }

    /// <summary>The product's Microsoft Entra SKU id, as the analytics' productId (or the subscriptions) give it.</summary>
    public string? ProductId { get; set; }

    /// <summary>The product's name, as the analytics give it (or the subscription's offer, for a product they do not count).</summary>
    public string? ProductName { get; set; }

    /// <summary>How the subscriptions were matched to the product: Matched, NoSubscription, NotInAnalytics, Ambiguous, Missing.</summary>
    public LicenseMatch Match { get; set; }

    /// <summary>
    /// What the match went by: "catalog provisioningId" (New Commerce: the offer's catalog SKU), "provisioning status"
    /// (legacy), or both; empty when nothing matched.
    /// </summary>
    public string? MatchedBy { get; set; }

    /// <summary>Why a match is ambiguous or missing, or why a figure is unknown; empty when there is nothing to say.</summary>
    public string? MatchNote { get; set; }

    /// <summary>The seats paid for (the deployment analytics' licenses sold), from every source.</summary>
    public long? PaidSeats { get; set; }

    /// <summary>The seats assigned to users (licenses deployed).</summary>
    public long? AssignedSeats { get; set; }

    /// <summary>
    /// The seats in use: the most active licenses of any of the product's workloads (usage analytics; a user active in
    /// any workload is not counted twice, so this is the figure the analytics allow).
    /// </summary>
    public long? ActiveSeats { get; set; }

    /// <summary>Seats paid for and assigned to nobody: <see cref="PaidSeats"/> − <see cref="AssignedSeats"/>.</summary>
    public long? FreeSeats => PaidSeats - AssignedSeats;

    /// <summary>Seats paid for and not in use: <see cref="PaidSeats"/> − <see cref="ActiveSeats"/>.</summary>
    public long? UnusedSeats => PaidSeats is { } paid && ActiveSeats is { } active ? Math.Max(0, paid - active) : null;

    /// <summary>The seats this partner's subscriptions of the product carry (any but suspended, expired, disabled and deleted ones; trials too).</summary>
    public long? SubscribedSeats { get; set; }

    /// <summary>
    /// Seats the customer has from other sources (another partner, a direct purchase): paid for, but more than this
    /// partner's subscriptions carry. Empty when unknown, as when a subscription of the customer could not be matched.
    /// </summary>
    public long? OtherSourceSeats { get; set; }

    /// <summary>The subscriptions that carry the seats; in a CSV cell, a line per the list's ToString.</summary>
    public CustomerSubscriptionList Subscriptions { get; set; } = new(Array.Empty<CustomerSubscription>());

    /// <summary>How many subscriptions carry the seats.</summary>
    public int SubscriptionCount => Subscriptions.Count;

    /// <summary>Seats the subscriptions allow to be removed for a refund now (their return windows still open).</summary>
    public long? RefundableSeats { get; set; }

    /// <summary>Unused seats that can be returned now: the fewer of the unused (or at least free) seats and <see cref="RefundableSeats"/>.</summary>
    public long? CuttableNow { get; set; }

    /// <summary>When the first of the open return windows closes: act before then to return all of <see cref="CuttableNow"/>.</summary>
    public DateTimeOffset? ReturnableUntil { get; set; }

    /// <summary>Seats of subscriptions that renew by themselves at the end of their term (trials left out).</summary>
    public long? RenewingSeats { get; set; }

    /// <summary>Seats already scheduled to leave at renewal (a lower next-term quantity).</summary>
    public long? ScheduledReduction { get; set; }

    /// <summary>Unused seats, beyond those returnable now and those already scheduled away, that can be cut at the next renewal.</summary>
    public long? CuttableAtRenewal { get; set; }

    /// <summary>The first renewal among the subscriptions that renew: the moment a lower quantity must be scheduled before.</summary>
    public DateTimeOffset? NextRenewal { get; set; }

    /// <summary>Seats of subscriptions that do not renew: they end with their term (trials left out).</summary>
    public long? EndingSeats { get; set; }

    /// <summary>When the first of the subscriptions that do not renew ends.</summary>
    public DateTimeOffset? EndsOn { get; set; }

    /// <summary>True when every subscription renews by itself, false when none does, empty when some do or it is unknown.</summary>
    public bool? AutoRenewEnabled { get; set; }

    /// <summary>Seats that can be cut, now or at the next renewal: <see cref="CuttableNow"/> + <see cref="CuttableAtRenewal"/>.</summary>
    public long? CuttableSeats => CuttableNow is null && CuttableAtRenewal is null ? null : (CuttableNow ?? 0) + (CuttableAtRenewal ?? 0);

    /// <summary>The date to act by: the first return window's end when seats can be returned now, else the next renewal when seats can be cut then.</summary>
    public DateTimeOffset? ActBy { get; set; }

    /// <summary>The analytics' processed date of the figures.</summary>
    public DateTimeOffset? ProcessedDateTime { get; set; }

    /// <summary>The moment the windows and renewals were judged from (the connection's clock).</summary>
    public DateTimeOffset AsOf { get; set; }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Format(CultureInfo.CurrentCulture, "{0}: {1} ({2} cuttable, act by {3:d})", CustomerName ?? CustomerId?.ToString(), ProductName ?? ProductId, CuttableSeats, ActBy);
}
