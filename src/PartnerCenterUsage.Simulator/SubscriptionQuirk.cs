namespace PartnerCenterUsage.Simulator;

/// <summary>
/// How <see cref="SimulatorOptions.HostileSubscriptions"/> spoils the body of one subscription of a customer (the first
/// of its list, in the listing and in GET by id alike; the others stay as generated): shapes the documentation's own
/// examples and the wider world show. Whatever the quirk, the module must still list every other subscription of the
/// customer and this one too (but for <see cref="ItemNotAnObject"/>): a value is read as what it plainly says where the
/// module's readers read every endpoint so (a number or yes/no in a string, a date without an offset as UTC), and as
/// unknown (null) otherwise, never as a failed listing and never as a made-up value. <see cref="SimulatedCustomer.SubscriptionQuirk"/> says which customer has
/// which quirk; <see cref="SimulatedCustomer.Subscriptions"/> keeps the true values.
/// </summary>
public enum SubscriptionQuirk
{
    /// <summary>Every field but id is null (offerId, quantity, status, dates, links, attributes...). Expected: listed by its id, everything else unknown.</summary>
    NullOptionalFields,

    /// <summary>quantity is a string ("12"). Expected: 12, as the module reads every count sent in a string.</summary>
    QuantityAsString,

    /// <summary>quantity has a fraction (12.5). Expected: the quantity is unknown (seats are whole), not rounded.</summary>
    QuantityFractional,

    /// <summary>autoRenewEnabled is a string ("true"). Expected: true, as the module reads yes/no sent in a string.</summary>
    AutoRenewAsString,

    /// <summary>isTrial is a number (1). Expected: whether it is a trial is unknown.</summary>
    IsTrialAsNumber,

    /// <summary>
    /// Every date-time is written without an offset ("2026-12-31T00:00:00"). Expected: read as UTC, as the module
    /// reads every service date without an offset (a service clock, not the user's).
    /// </summary>
    DatesWithoutOffset,

    /// <summary>Every date-time is a bare date ("2026-12-31"). Expected: midnight UTC of that day, as for <see cref="DatesWithoutOffset"/>.</summary>
    DateOnlyStrings,

    /// <summary>
    /// Every date-time is unreadable, spaced as the documentation's example is ("2015-11-25T06: 41: 12Z"). Expected: the moment
    /// they name: not ISO 8601, but DateTimeOffset.Parse, the module's fallback reader, skips the spaces and reads it.
    /// </summary>
    UnreadableDates,

    /// <summary>status is a value no documentation lists ("migrating"). Expected: the status as sent ("migrating"); an undocumented status is passed on, and the join counts it as carrying seats.</summary>
    UnknownStatus,

    /// <summary>billingCycle is a value no documentation lists ("fortnightly"). Expected: the billing cycle as sent ("fortnightly"), as for an undocumented status.</summary>
    UnknownBillingCycle,

    /// <summary>The subscription has no id. Expected: listed with an unknown id (its provisioning status cannot be asked for).</summary>
    MissingId,

    /// <summary>
    /// The collection holds, before the customer's subscriptions, an item that is not an object (a string); totalCount
    /// counts it. Expected: the answer is not the documented
    /// collection: one InvalidResponse error for the customer, as for every endpoint's list, none of its rows. GET by id is not affected.
    /// </summary>
    ItemNotAnObject,
}
