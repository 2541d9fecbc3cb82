using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>
/// The generated subscriptions: they carry the sold seats, and the default data (25 customers) holds every case the
/// join must handle, so that a later change cannot drop one silently.
/// </summary>
public sealed class GeneratedSubscriptionDataTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 5, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly SimulatorData Data = new(new SimulatorOptions().CustomerCount, new SimulatorOptions().Seed, AsOf);
    private static readonly List<SimulatedSubscription> All = [.. Data.Customers.SelectMany(c => c.Subscriptions)];

    private static List<SimulatedSubscription> NewCommerce => [.. All.Where(s => !s.IsLegacy)];

    [Fact]
    public void Active_subscriptions_carry_at_most_the_sold_seats_of_each_product_and_exactly_them_for_most_customers()
    {
        var exact = 0;
        foreach (var customer in Data.Customers)
        {
            foreach (var row in customer.Deployment)
            {
                var carried = customer.Subscriptions.Where(s => s.CarriesSoldSeats && s.ProductName == row.ProductName).Sum(s => s.Quantity);
                Assert.InRange(carried, 0, row.LicensesSold);
                exact += carried == row.LicensesSold ? 1 : 0;
            }

            Assert.All(customer.Subscriptions, s => Assert.Contains(customer.Deployment, d => d.ProductName == s.ProductName));
        }

        Assert.InRange(exact, Data.DeploymentRows.Count * 2 / 3, Data.DeploymentRows.Count - 1);
    }

    [Fact]
    public void Some_customers_subscriptions_carry_fewer_seats_than_sold()
    {
        Assert.Contains(Data.Customers, c => c.Deployment.Any(d => c.Subscriptions.Where(s => s.CarriesSoldSeats && s.ProductName == d.ProductName).Sum(s => s.Quantity) < d.LicensesSold));
    }

    [Fact]
    public void Customers_without_licenses_have_no_subscriptions()
    {
        var empty = Data.Customers.Where(c => c.Deployment.Count == 0).ToList();

        Assert.NotEmpty(empty);
        Assert.All(empty, c => Assert.Empty(c.Subscriptions));
    }

    [Fact]
    public void Each_subscription_carries_its_products_Entra_sku_and_has_an_id_of_its_own()
    {
        Assert.All(Data.Customers, c => Assert.All(c.Subscriptions, s => Assert.Equal(Guid.Parse(c.Deployment.First(d => d.ProductName == s.ProductName).ProductId), s.EntraSkuId)));
        Assert.Equal(All.Count, All.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public void New_commerce_offer_ids_name_the_catalog_sku_and_legacy_ones_an_offer_guid()
    {
        Assert.All(NewCommerce, s => Assert.Equal($"{s.CatalogSku!.ProductSku}:{s.CatalogSku.AvailabilityId}", s.OfferId));
        Assert.All(NewCommerce, s => Assert.Equal("OnlineServicesNCE", s.ProductType));
        Assert.All(All.Where(s => s.IsLegacy), s => Assert.True(Guid.TryParse(s.OfferId, out _)));
        Assert.All(All.Where(s => s.IsLegacy), s => Assert.Equal(("OnlineServices", null, null), (s.ProductType, s.RefundableQuantity, s.CatalogSku)));
    }

    [Fact]
    public void Every_term_and_billing_cycle_is_there()
    {
        var paid = NewCommerce.Where(s => !s.IsTrial).Select(s => (s.TermDuration, s.BillingCycle)).ToHashSet();

        Assert.Superset(new HashSet<(string, string)> { ("P1M", "monthly"), ("P1Y", "monthly"), ("P1Y", "annual"), ("P3Y", "triennial") }, paid);
    }

    [Fact]
    public void Trials_legacy_subscriptions_add_ons_and_every_status_are_there()
    {
        Assert.Contains(All, s => s.IsTrial && s.Quantity == 25 && s.TermDuration == "P1M" && !s.AutoRenewEnabled);
        Assert.Contains(All, s => s.IsLegacy && s.ProvisioningStatusHasSkuId);
        Assert.Single(All, s => s.IsLegacy && !s.ProvisioningStatusHasSkuId);
        Assert.Superset(new HashSet<string> { "active", "suspended", "expired", "disabled", "deleted" }, All.Select(s => s.Status).ToHashSet());
        Assert.Contains(All, s => s.AutoRenewEnabled);
        Assert.Contains(All, s => !s.AutoRenewEnabled && s.Status == "active" && !s.IsTrial);
        var addOns = All.Where(s => s.ParentSubscriptionId is not null).ToList();
        Assert.NotEmpty(addOns);
        Assert.All(addOns, a => Assert.Equal("EXCHANGE ONLINE ARCHIVING FOR EXCHANGE ONLINE", a.ProductName));
        Assert.Contains(addOns, a => All.Single(s => s.Id == a.ParentSubscriptionId).ProductName is "EXCHANGE ONLINE (PLAN 1)" or "OFFICE 365 E3");
    }

    [Fact]
    public void Some_products_are_split_over_an_annual_base_and_a_monthly_top_up()
    {
        Assert.Contains(Data.Customers, c => c.Deployment.Any(d =>
        {
            var active = c.Subscriptions.Where(s => s.ProductName == d.ProductName && s.CarriesSoldSeats && !s.IsTrial).ToList();
            return active.Count == 2 && active.Any(s => s.TermDuration == "P1Y") && active.Any(s => s.TermDuration == "P1M") && active.Sum(s => s.Quantity) == d.LicensesSold;
        }));
    }

    [Fact]
    public void New_commerce_terms_end_inclusively_at_the_end_of_their_last_day_and_legacy_ones_exclusively()
    {
        Assert.All(NewCommerce, s => Assert.Equal(new DateTimeOffset(s.CommitmentEndDate.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero), s.CommitmentEndDateTime));
        Assert.All(NewCommerce.Where(s => s.TermDuration == "P1Y"), s => Assert.Equal(DateOnly.FromDateTime(s.EffectiveStartDate.AddYears(1).UtcDateTime).AddDays(-1), s.CommitmentEndDate));
        Assert.All(All.Where(s => s.IsLegacy), s => Assert.Equal(DateOnly.FromDateTime(s.EffectiveStartDate.AddYears(1).UtcDateTime), s.CommitmentEndDate));
        Assert.All(All.Where(s => s.IsLegacy), s => Assert.Null(s.CommitmentEndDateTime));
        Assert.All(All.Where(s => s.Status is "active" or "suspended" && !s.IsTrial), s => Assert.True(s.CommitmentEndDate >= DateOnly.FromDateTime(AsOf.UtcDateTime), s.Id.ToString()));
        Assert.All(All.Where(s => s.Status is "expired" or "disabled" or "deleted"), s => Assert.True(s.CommitmentEndDate < DateOnly.FromDateTime(AsOf.UtcDateTime)));
    }

    [Fact]
    public void Return_windows_are_open_for_seats_added_or_renewed_within_7_days_of_now_and_closed_for_the_others()
    {
        var open = NewCommerce.Where(s => s.RefundableBatches.Count > 0).ToList();

        Assert.Contains(open, s => s.RefundableBatches.Count == 1 && s.RefundableQuantity == s.Quantity);
        Assert.Contains(open, s => s.RefundableBatches.Count > 1 && s.RefundableQuantity < s.Quantity && s.RefundableBatches.Select(b => b.AllowedUntil).Distinct().Count() > 1);
        Assert.Contains(NewCommerce, s => s.RefundableBatches.Count == 0 && s.CarriesSoldSeats && !s.IsTrial);
        Assert.All(open, s => Assert.All(s.RefundableBatches, b => Assert.InRange(b.AllowedUntil, AsOf, AsOf.AddDays(7))));
        Assert.All(open, s => Assert.NotEmpty(s.RefundOptions));
        Assert.All(NewCommerce.Where(s => s.RefundableBatches.Count == 0), s => Assert.Empty(s.RefundOptions));
        Assert.All(NewCommerce.Where(s => s.CancellationAllowedUntil is { } until && until > AsOf), s => Assert.True(s.EffectiveStartDate > AsOf.AddDays(-7)));
    }

    [Fact]
    public void Some_renewals_are_scheduled_with_fewer_seats_and_auto_renew_on()
    {
        var scheduled = NewCommerce.Where(s => s.NextTerm is not null).ToList();

        Assert.NotEmpty(scheduled);
        Assert.All(scheduled, s => Assert.InRange(s.NextTerm!.Quantity, 1, s.Quantity - 1));
        Assert.All(scheduled, s => Assert.True(s.AutoRenewEnabled));
        Assert.All(scheduled, s => Assert.Equal((s.BillingCycle, s.TermDuration), (s.NextTerm!.BillingCycle, s.NextTerm.TermDuration)));
    }

    [Fact]
    public void A_customer_holds_both_products_of_the_bundle_and_a_bundle_subscription_and_one_sku_has_no_provisioning_id()
    {
        var bundle = Assert.Single(SimulatorData.CatalogSkus, s => s.ProvisioningIds.Count == 2);
        var holder = Assert.Single(Data.Customers, c => c.Subscriptions.Any(s => s.CatalogSku == bundle));

        Assert.All(bundle.ProvisioningIds, id => Assert.Contains(holder.Deployment, d => Guid.Parse(d.ProductId) == id));
        Assert.Contains(bundle.ProvisioningIds, id => id == holder.Subscriptions.First(s => s.CatalogSku == bundle).EntraSkuId);
        var without = Assert.Single(SimulatorData.CatalogSkus, s => s.ProvisioningIds.Count == 0);
        Assert.Contains(All, s => s.CatalogSku == without);
    }

    [Fact]
    public void The_same_seed_and_now_give_the_same_subscriptions_and_other_customers_do_not_change_them()
    {
        var again = new SimulatorData(25, 20170309, AsOf);
        var more = new SimulatorData(60, 20170309, AsOf);

        Assert.Equal(All, again.Customers.SelectMany(c => c.Subscriptions), SubscriptionComparer.Instance);
        Assert.Equal(All, more.Customers.Take(Data.Customers.Count).SelectMany(c => c.Subscriptions), SubscriptionComparer.Instance);
    }

    [Fact]
    public async Task Dates_are_relative_to_the_simulators_clock_when_no_SubscriptionsAsOf_is_given()
    {
        var clock = new TestClock();
        clock.Advance(TimeSpan.FromDays(400));

        await using var http = await SimulatorHttp.StartAsync(new SimulatorOptions { TimeProvider = clock });

        var now = clock.GetUtcNow();
        Assert.Equal(now, http.Data.SubscriptionsAsOf);
        var open = http.Data.Customers.SelectMany(c => c.Subscriptions).SelectMany(s => s.RefundableBatches).ToList();
        Assert.NotEmpty(open);
        Assert.All(open, b => Assert.InRange(b.AllowedUntil, now, now.AddDays(7)));
    }

    [Fact]
    public async Task SubscriptionsAsOf_fixes_the_dates_whatever_the_clock()
    {
        await using var http = await SimulatorHttp.StartAsync(new SimulatorOptions { SubscriptionsAsOf = AsOf });

        Assert.Equal(AsOf, http.Data.SubscriptionsAsOf);
        Assert.Equal(All, http.Data.Customers.SelectMany(c => c.Subscriptions), SubscriptionComparer.Instance);
    }

    // Records with lists compare by reference: compare what the body shows.
    private sealed class SubscriptionComparer : IEqualityComparer<SimulatedSubscription>
    {
        public static readonly SubscriptionComparer Instance = new();

        public bool Equals(SimulatedSubscription? x, SimulatedSubscription? y) =>
            x is not null && y is not null
            && (x with { RefundOptions = [], RefundableBatches = [] }) == (y with { RefundOptions = [], RefundableBatches = [] })
            && x.RefundOptions.SequenceEqual(y.RefundOptions) && x.RefundableBatches.SequenceEqual(y.RefundableBatches);

        public int GetHashCode(SimulatedSubscription obj) => obj.Id.GetHashCode();
    }
}
