using System;
using System.Collections.Generic;
using System.Linq;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Subscriptions;

/// <summary>
/// Which of a customer's subscriptions a user asked for: by status, by the end of the term, renewing or not, trials or
/// not, deleted or not. Partner Center filters none of these itself, so they are applied to the rows it sends. A value
/// it did not send never passes a filter that asks for that value (a subscription whose term end is unknown is not
/// renewing within 30 days), and never fails one that only leaves something out (an unknown trial flag is kept by
/// <see cref="ExcludeTrial"/>): what is unknown is shown, not taken for yes or no.
/// </summary>
public sealed class SubscriptionFilter
{
    /// <summary>The status of a deleted subscription, which is left out unless asked for.</summary>
    public const string DeletedStatus = "deleted";

    /// <summary>The most days <see cref="RenewingWithinDays"/> takes: ten years, the longest term and then some.</summary>
    public const int MaxRenewingWithinDays = 3650;

    /// <summary>The statuses Partner Center documents for a subscription, as it spells them.</summary>
    public static IReadOnlyList<string> DocumentedStatuses { get; } =
        new[] { "active", "pending", "suspended", "expired", "disabled", DeletedStatus, "none" };

    /// <summary>
    /// The statuses to keep, in any case; empty for any. Given, a subscription passes only with one of them (an unknown
    /// or undocumented status never does); not given, every status passes, unknown and undocumented ones too, but
    /// deleted (see <see cref="IncludeDeleted"/>).
    /// </summary>
    public IReadOnlyCollection<string> Statuses { get; init; } = Array.Empty<string>();

    /// <summary>
    /// Keeps the subscriptions whose term ends (<see cref="CustomerSubscription.TermEnd"/>: renews, or ends when it does
    /// not renew) from now to this many days from now; null for any. A subscription whose term end is unknown, or that
    /// never ends, does not pass.
    /// </summary>
    public int? RenewingWithinDays { get; init; }

    /// <summary>Keeps only the subscriptions that renew at the end of their term (auto-renew known to be on).</summary>
    public bool AutoRenewOnly { get; init; }

    /// <summary>Leaves out the subscriptions known to be trials; one Partner Center did not say of is kept.</summary>
    public bool ExcludeTrial { get; init; }

    /// <summary>
    /// Keeps the deleted subscriptions, which are left out otherwise: they have left the customer. With
    /// <see cref="Statuses"/>, the deleted ones come on top of those statuses. Statuses that name deleted say the same.
    /// </summary>
    public bool IncludeDeleted { get; init; }

    /// <summary>True when <paramref name="subscription"/> is one of those asked for, at <paramref name="now"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RenewingWithinDays"/> is negative or more than <see cref="MaxRenewingWithinDays"/>.</exception>
    public bool Matches(CustomerSubscription subscription, DateTimeOffset now)
    {
        if (subscription is null)
        {
            throw new ArgumentNullException(nameof(subscription));
        }

        return StatusPasses(subscription.Status?.Trim())
            && RenewalPasses(subscription.TermEnd, now)
            && (!AutoRenewOnly || subscription.AutoRenewEnabled == true)
            && (!ExcludeTrial || subscription.IsTrial != true);
    }

    /// <summary>The subscriptions of <paramref name="subscriptions"/> that are asked for at <paramref name="now"/>, in their order.</summary>
    public IReadOnlyList<CustomerSubscription> Apply(IEnumerable<CustomerSubscription> subscriptions, DateTimeOffset now) =>
        subscriptions.Where(s => Matches(s, now)).ToList();

    private bool StatusPasses(string? status)
    {
        var deleted = string.Equals(status, DeletedStatus, StringComparison.OrdinalIgnoreCase);
        if (deleted && IncludeDeleted)
        {
            return true;
        }

        if (Statuses.Count == 0)
        {
            return !deleted;
        }

        return status is not null && Statuses.Any(s => string.Equals(s?.Trim(), status, StringComparison.OrdinalIgnoreCase));
    }

    private bool RenewalPasses(DateTimeOffset? termEnd, DateTimeOffset now)
    {
        if (RenewingWithinDays is not { } days)
        {
            return true;
        }

        if (days < 0 || days > MaxRenewingWithinDays)
        {
            throw new ArgumentOutOfRangeException(nameof(RenewingWithinDays), days, $"From 0 to {MaxRenewingWithinDays} days.");
        }

        // A term that ends exactly now has renewed (or ended) already, as a return window that closes now is closed.
        return termEnd is { } end && end > now && end <= now.AddDays(days);
    }
}
