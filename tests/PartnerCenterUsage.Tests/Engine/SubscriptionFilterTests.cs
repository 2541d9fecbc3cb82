using PartnerCenterUsage.Engine.Subscriptions;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// Which subscriptions Get-PCCustomerSubscription's filters keep. What Partner Center did not send never passes a filter
/// that asks for it, and never fails one that only leaves something out.
/// </summary>
public sealed class SubscriptionFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static CustomerSubscription Sub(
        string? status = "active", DateTimeOffset? legacyEnd = null, bool? autoRenew = null, bool? trial = null, string name = "s") =>
        new() { FriendlyName = name, Status = status, OfferId = "DB2E705F-B82A-4024-A3D5-D88E12F2DB35", CommitmentEndDate = legacyEnd, AutoRenewEnabled = autoRenew, IsTrial = trial };

    private static bool Keeps(SubscriptionFilter filter, CustomerSubscription subscription) => filter.Matches(subscription, Now);

    [Theory]
    [InlineData("active")]
    [InlineData("suspended")]
    [InlineData("expired")]
    [InlineData("disabled")]
    [InlineData("pending")]
    [InlineData("none")]
    [InlineData("migrating")] // not documented: shown, not hidden
    [InlineData(null)]
    public void Without_filters_every_subscription_comes_but_the_deleted_ones(string? status)
    {
        Assert.True(Keeps(new SubscriptionFilter(), Sub(status)));
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("Deleted")]
    [InlineData(" DELETED ")]
    public void A_deleted_subscription_is_left_out_unless_asked_for(string status)
    {
        Assert.False(Keeps(new SubscriptionFilter(), Sub(status)));
        Assert.True(Keeps(new SubscriptionFilter { IncludeDeleted = true }, Sub(status)));
        Assert.True(Keeps(new SubscriptionFilter { Statuses = ["deleted"] }, Sub(status)));
        Assert.True(Keeps(new SubscriptionFilter { Statuses = ["active"], IncludeDeleted = true }, Sub(status)));
        Assert.False(Keeps(new SubscriptionFilter { Statuses = ["active"] }, Sub(status)));
    }

    [Fact]
    public void Status_keeps_the_statuses_named_in_any_case_and_nothing_unknown_or_undocumented()
    {
        var filter = new SubscriptionFilter { Statuses = ["Active", "suspended"] };

        Assert.True(Keeps(filter, Sub("active")));
        Assert.True(Keeps(filter, Sub("SUSPENDED")));
        Assert.False(Keeps(filter, Sub("expired")));
        Assert.False(Keeps(filter, Sub("migrating")));
        Assert.False(Keeps(filter, Sub(null)));
        Assert.False(Keeps(filter, Sub("")));
    }

    [Fact]
    public void RenewingWithinDays_keeps_the_terms_that_end_after_now_and_within_that_many_days()
    {
        var filter = new SubscriptionFilter { RenewingWithinDays = 30 };

        Assert.False(Keeps(filter, Sub(legacyEnd: Now))); // ends this moment: renewed (or over) already, as a window closing now is closed
        Assert.True(Keeps(filter, Sub(legacyEnd: Now.AddSeconds(1))));
        Assert.True(Keeps(filter, Sub(legacyEnd: Now.AddDays(10))));
        Assert.True(Keeps(filter, Sub(legacyEnd: Now.AddDays(30))));
        Assert.False(Keeps(filter, Sub(legacyEnd: Now.AddDays(30).AddSeconds(1))));
        Assert.False(Keeps(filter, Sub(legacyEnd: Now.AddSeconds(-1)))); // over already
        Assert.False(Keeps(filter, Sub(legacyEnd: null))); // unknown: not known to renew within 30 days
        Assert.False(Keeps(filter, Sub(legacyEnd: new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero)))); // never ends
        Assert.True(Keeps(new SubscriptionFilter(), Sub(legacyEnd: null)));
    }

    [Fact]
    public void RenewingWithinDays_measures_New_Commerce_from_the_end_of_its_last_day()
    {
        // The last day is today: the term ends at midnight, within 0 days it is not (that is now), within 1 it is.
        var nce = new CustomerSubscription
        {
            FriendlyName = "nce", Status = "active", OfferId = "CFQ7TTC0LF8Q:0001:CFQ7TTC0K971",
            CommitmentEndDate = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
        };

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), nce.TermEnd);
        Assert.False(Keeps(new SubscriptionFilter { RenewingWithinDays = 0 }, nce));
        Assert.True(Keeps(new SubscriptionFilter { RenewingWithinDays = 1 }, nce));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3651)]
    public void RenewingWithinDays_out_of_range_is_refused(int days)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Keeps(new SubscriptionFilter { RenewingWithinDays = days }, Sub()));
    }

    [Fact]
    public void AutoRenewOnly_keeps_those_known_to_renew()
    {
        var filter = new SubscriptionFilter { AutoRenewOnly = true };

        Assert.True(Keeps(filter, Sub(autoRenew: true)));
        Assert.False(Keeps(filter, Sub(autoRenew: false)));
        Assert.False(Keeps(filter, Sub(autoRenew: null)));
    }

    [Fact]
    public void ExcludeTrial_leaves_out_those_known_to_be_trials_and_keeps_the_unknown()
    {
        var filter = new SubscriptionFilter { ExcludeTrial = true };

        Assert.False(Keeps(filter, Sub(trial: true)));
        Assert.True(Keeps(filter, Sub(trial: false)));
        Assert.True(Keeps(filter, Sub(trial: null)));
        Assert.True(Keeps(new SubscriptionFilter(), Sub(trial: true)));
    }

    [Fact]
    public void Filters_combine_and_Apply_keeps_the_order()
    {
        var filter = new SubscriptionFilter { Statuses = ["active"], RenewingWithinDays = 30, AutoRenewOnly = true, ExcludeTrial = true };
        var soon = Now.AddDays(5);
        var all = new[]
        {
            Sub(legacyEnd: soon, autoRenew: true, trial: false, name: "b"),
            Sub(legacyEnd: soon, autoRenew: true, trial: true, name: "trial"),
            Sub("suspended", soon, true, false, "suspended"),
            Sub(legacyEnd: soon, autoRenew: false, trial: false, name: "ends"),
            Sub(legacyEnd: Now.AddDays(90), autoRenew: true, trial: false, name: "later"),
            Sub(legacyEnd: soon, autoRenew: true, trial: null, name: "a"),
        };

        Assert.Equal(["b", "a"], filter.Apply(all, Now).Select(s => s.FriendlyName));
    }

    [Fact]
    public void The_documented_statuses_are_those_Partner_Center_writes()
    {
        Assert.Equal(["active", "pending", "suspended", "expired", "disabled", "deleted", "none"], SubscriptionFilter.DocumentedStatuses);
    }
}
