using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;

namespace PartnerCenterUsage.Models;

/// <summary>Subscriptions of a row: a list, whose ToString (what a CSV cell holds) is a line of text.</summary>
public sealed class CustomerSubscriptionList : ReadOnlyCollection<CustomerSubscription>
{
    /// <summary>Creates the list.</summary>
    public CustomerSubscriptionList(IList<CustomerSubscription> subscriptions)
        : base(subscriptions)
    {
    }

    /// <summary>"Office 365 E3 (20, ends 2027-02-01 00:00Z, renews); ...": names, seats, term ends (UTC) and renewal, culture-invariant.</summary>
    public override string ToString() => string.Join("; ", this.Select(s => string.Format(
        CultureInfo.InvariantCulture,
        "{0} ({1}, ends {2}, {3})",
        s.FriendlyName ?? s.OfferName ?? s.SubscriptionId ?? "?",
        s.Quantity?.ToString(CultureInfo.InvariantCulture) ?? "?",
        s.TermEnd?.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "?",
        s.AutoRenewEnabled switch { true => "renews", false => "does not renew", null => "renewal unknown" })));
}
