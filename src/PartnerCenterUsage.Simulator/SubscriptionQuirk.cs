namespace PartnerCenterUsage.Simulator;

/// <summary>
/// How <see cref="SimulatorOptions.HostileSubscriptions"/> spoils the body of one subscription of a customer (the first
/// of its list, in the listing and in GET by id alike; the others stay as generated): shapes the documentation's own
/// examples and the wider world show. Whatever the quirk, the module must still list every other subscription of the
/// customer and this one too (but <see cref="ItemNotAnObject"/>): a spoilt value is read as unknown (null), never as a
/// failed listing and never as a made-up value. <see cref="SimulatedCustomer.SubscriptionQuirk"/> says which customer has
/// which quirk; <see cref="SimulatedCustomer.Subscriptions"/> keeps the true values.
/// </summary>
public enum SubscriptionQuirk
{
    /// <summary>Every field but id is null (offerId, quantity, status, dates, links, attributes...). Expected: listed by its id, everything else unknown.</summary>
    NullOptionalFields,

    /// <summary>quantity is a string ("12"). Expected: the quantity is unknown (a string is not the documented number).</summary>
    QuantityAsString,

    /// <summary>quantity has a fraction (12.5). Expected: the quantity is unknown (seats are whole), not rounded.</summary>
    QuantityFractional,

    /// <summary>autoRenewEnabled is a string ("true"). Expected: auto-renew is unknown.</summary>
    AutoRenewAsString,

    /// <summary>isTrial is a number (1). Expected: whether it is a trial is unknown.</summary>
    IsTrialAsNumber,

    /// <summary>
    /// Every date-time is written without an offset ("2026-12-31T00:00:00"). Expected: those dates are unknown: a
    /// classic endpoint's date without an offset says neither UTC nor local time.
    /// </summary>
    DatesWithoutOffset,

    /// <summary>Every date-time is a bare date ("2026-12-31"). Expected: unknown, as for <see cref="DatesWithoutOffset"/>.</summary>
    DateOnlyStrings,

    /// <summary>Every date-time is unreadable, spaced as the documentation's example is ("2015-11-25T06: 41: 12Z"). Expected: those dates are unknown.</summary>
    UnreadableDates,

    /// <summary>status is a value no documentation lists ("migrating"). Expected: the status is unknown, so the subscription is not counted as carrying seats.</summary>
    UnknownStatus,

    /// <summary>billingCycle is a value no documentation lists ("fortnightly"). Expected: the billing cycle is unknown.</summary>
    UnknownBillingCycle,

    /// <summary>The subscription has no id. Expected: listed with an unknown id (its provisioning status cannot be asked for).</summary>
    MissingId,

    /// <summary>
    /// The collection holds, before the customer's subscriptions, an item that is not an object (a string); totalCount
    /// counts it. Expected: that item is passed over, every subscription is listed. GET by id is not affected.
    /// </summary>
    ItemNotAnObject,
}
