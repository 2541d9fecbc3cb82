using PartnerCenterUsage.Engine.Reductions;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The join of one customer's analytics with its subscriptions, without PowerShell or HTTP: products keyed by their
/// Microsoft Entra SKU id, names never joined, ambiguous and missing matches said, seats from other sources, and what can
/// be cut now (open return windows) and at renewal, judged from a given now.
/// </summary>
public sealed class LicenseReductionPlannerTests
{
    private static readonly Guid Customer = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private static readonly Guid E3 = Guid.Parse("6FD2C87F-B296-42F0-B197-1E91E994B900");
    private static readonly Guid Exchange = Guid.Parse("4B9405B0-7788-4568-ADD1-99614E613B69");
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Processed = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static CustomerLicenseDeployment Deployment(Guid product, long? sold, long? deployed, string name = "OFFICE 365 E3", DateTimeOffset? processed = null) =>
        new() { CustomerId = Customer, CustomerName = "Contoso", ProductId = product.ToString().ToUpperInvariant(), ProductName = name, LicensesSold = sold, LicensesDeployed = deployed, ProcessedDateTime = processed ?? Processed };

    private static CustomerLicenseUsage Usage(Guid product, string workload, long? active, long? qualified = 10, DateTimeOffset? processed = null) =>
        new() { CustomerId = Customer, CustomerName = "Contoso", ProductId = product.ToString().ToUpperInvariant(), ProductName = "OFFICE 365 E3", WorkloadCode = workload, LicensesActive = active, LicensesQualified = qualified, ProcessedDateTime = processed ?? Processed };

    private static CustomerSubscription Nce(long? quantity, bool? autoRenew = true, string status = "active", DateTimeOffset? endDate = null, bool? trial = false,
        long? nextTerm = null, params RefundableSeats[] refundable) =>
        new()
        {
            SubscriptionId = Guid.NewGuid().ToString(),
            OfferId = "CFQ7TTC0LF8Q:0001:CFQ7TTC0K971",
            ProductType = CustomerSubscription.NewCommerceProductType,
            FriendlyName = "Office 365 E3",
            Quantity = quantity,
            Status = status,
            AutoRenewEnabled = autoRenew,
            IsTrial = trial,
            CommitmentEndDate = endDate ?? new DateTimeOffset(2027, 1, 31, 0, 0, 0, TimeSpan.Zero),
            NextTermQuantity = nextTerm,
            RefundableQuantity = refundable.Sum(r => r.Quantity ?? 0),
            RefundableSeats = new RefundableSeatsList(refundable),
        };

    private static SubscriptionSku Carrying(CustomerSubscription subscription, params Guid[] skus) =>
        new(subscription, skus, LicenseReductionPlanner.ByCatalog, null);

    private static IReadOnlyList<CustomerLicenseReduction> Plan(IReadOnlyList<CustomerLicenseUsage> usage, IReadOnlyList<CustomerLicenseDeployment> deployment, params SubscriptionSku[] subscriptions) =>
        LicenseReductionPlanner.Plan(Customer, null, usage, deployment, subscriptions, Now);

    [Fact]
    public void Seats_returnable_now_are_the_unused_ones_within_the_open_windows_and_the_rest_can_go_at_renewal()
    {
        var subscription = Nce(30, refundable: [new RefundableSeats(4, Now.AddDays(2)), new RefundableSeats(5, Now.AddDays(-1))]);
        var row = Plan([Usage(E3, "EXO", 18), Usage(E3, "SPO", 20)], [Deployment(E3, 30, 25)], Carrying(subscription, E3)).Single();

        Assert.Equal(LicenseMatch.Matched, row.Match);
        Assert.Equal(LicenseReductionPlanner.ByCatalog, row.MatchedBy);
        Assert.Equal((30L, 25L, 20L), (row.PaidSeats!.Value, row.AssignedSeats!.Value, row.ActiveSeats!.Value));
        Assert.Equal(5, row.FreeSeats);
        Assert.Equal(10, row.UnusedSeats);
        Assert.Equal(30, row.SubscribedSeats);
        Assert.Equal(0, row.OtherSourceSeats);

        // Only the batch whose window is still open counts: 4 now, until its deadline; the other 6 at renewal.
        Assert.Equal(4, row.RefundableSeats);
        Assert.Equal(4, row.CuttableNow);
        Assert.Equal(Now.AddDays(2), row.ReturnableUntil);
        Assert.Equal(6, row.CuttableAtRenewal);
        Assert.Equal(new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero), row.NextRenewal);
        Assert.Equal(10, row.CuttableSeats);
        Assert.Equal(Now.AddDays(2), row.ActBy);
        Assert.True(row.AutoRenewEnabled);
        Assert.Equal(Now, row.AsOf);
    }

    [Fact]
    public void A_window_that_closed_a_moment_ago_returns_nothing_and_the_date_to_act_by_is_the_renewal()
    {
        var row = Plan([Usage(E3, "EXO", 5)], [Deployment(E3, 10, 10)], Carrying(Nce(10, refundable: [new RefundableSeats(3, Now)]), E3)).Single();

        Assert.Equal(0, row.CuttableNow);
        Assert.Null(row.ReturnableUntil);
        Assert.Equal(5, row.CuttableAtRenewal);
        Assert.Equal(row.NextRenewal, row.ActBy);
    }

    [Fact]
    public void Seats_already_scheduled_away_are_not_cut_twice_and_a_subscription_that_does_not_renew_is_ending_not_cuttable()
    {
        var renewing = Nce(20, nextTerm: 15);
        var ending = Nce(5, autoRenew: false, endDate: new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero));
        var row = Plan([Usage(E3, "EXO", 8)], [Deployment(E3, 25, 25)], Carrying(renewing, E3), Carrying(ending, E3)).Single();

        Assert.Equal(17, row.UnusedSeats);
        Assert.Equal(5, row.ScheduledReduction);
        Assert.Equal(20, row.RenewingSeats);
        Assert.Equal(12, row.CuttableAtRenewal);
        Assert.Equal(5, row.EndingSeats);
        Assert.Equal(new DateTimeOffset(2026, 12, 21, 0, 0, 0, TimeSpan.Zero), row.EndsOn);
        Assert.Null(row.AutoRenewEnabled);
    }

    [Fact]
    public void More_seats_paid_for_than_this_partners_subscriptions_carry_come_from_other_sources()
    {
        var row = Plan([Usage(E3, "EXO", 40)], [Deployment(E3, 50, 45)], Carrying(Nce(30), E3)).Single();

        Assert.Equal(20, row.OtherSourceSeats);
        Assert.Equal(10, row.UnusedSeats);
        Assert.Equal(10, row.CuttableAtRenewal);
    }

    [Fact]
    public void A_product_no_subscription_carries_says_so_and_all_its_seats_come_from_elsewhere()
    {
        var row = Plan([Usage(E3, "EXO", 4)], [Deployment(E3, 10, 10)]).Single();

        Assert.Equal(LicenseMatch.NoSubscription, row.Match);
        Assert.Equal(10, row.OtherSourceSeats);
        Assert.Empty(row.Subscriptions);
        Assert.Equal(0, row.CuttableNow);
        Assert.Equal(0, row.CuttableAtRenewal);
        Assert.Null(row.ActBy);
    }

    [Fact]
    public void A_subscription_whose_sku_provisions_two_of_the_customers_products_is_ambiguous_and_counted_against_neither()
    {
        var bundle = Nce(10);
        var rows = Plan(
            [Usage(E3, "EXO", 1), Usage(Exchange, "EXO", 1)],
            [Deployment(E3, 10, 10), Deployment(Exchange, 10, 10, "EXCHANGE ONLINE (PLAN 1)")],
            Carrying(bundle, E3, Exchange));

        Assert.Equal(3, rows.Count);
        Assert.All(rows.Take(2), r => Assert.Equal(LicenseMatch.Ambiguous, r.Match));
        Assert.All(rows.Take(2), r => Assert.Null(r.OtherSourceSeats));
        Assert.All(rows.Take(2), r => Assert.Empty(r.Subscriptions));
        var own = rows[2];
        Assert.Equal(LicenseMatch.Ambiguous, own.Match);
        Assert.Null(own.ProductId);
        Assert.Equal("OFFICE 365 E3 or EXCHANGE ONLINE (PLAN 1)", own.ProductName);
        Assert.Same(bundle, own.Subscriptions.Single());
        Assert.Null(own.CuttableNow);
        Assert.Null(own.CuttableAtRenewal);
    }

    [Fact]
    public void A_subscription_whose_sku_provisions_two_products_of_which_the_customer_has_one_is_matched_to_it()
    {
        var row = Plan([Usage(E3, "EXO", 1)], [Deployment(E3, 10, 10)], Carrying(Nce(10), E3, Exchange)).Single();

        Assert.Equal(LicenseMatch.Matched, row.Match);
        Assert.Equal(10, row.SubscribedSeats);
    }

    [Fact]
    public void A_subscription_whose_sku_could_not_be_learnt_is_a_row_of_its_own_and_leaves_other_sources_unknown()
    {
        var unknown = SubscriptionSku.Unknown(Nce(7), "The catalog SKU CFQ7TTC0LF8Q:0001 names no Microsoft Entra SKU (provisioningId).");
        var rows = Plan([Usage(E3, "EXO", 1)], [Deployment(E3, 10, 10)], unknown);

        Assert.Equal(2, rows.Count);
        Assert.Equal(LicenseMatch.NoSubscription, rows[0].Match);
        Assert.Null(rows[0].OtherSourceSeats);
        Assert.Contains("could not be matched", rows[0].MatchNote);

        // The unplaced subscription may carry this product: what can be cut of it is unknown, not 0.
        Assert.Null(rows[0].CuttableNow);
        Assert.Null(rows[0].CuttableAtRenewal);
        Assert.Null(rows[0].CuttableSeats);
        Assert.Equal(LicenseMatch.Missing, rows[1].Match);
        Assert.Equal(unknown.Problem, rows[1].MatchNote);
        Assert.Equal(7, rows[1].SubscribedSeats);
    }

    [Fact]
    public void A_subscription_of_a_product_the_analytics_do_not_count_is_shown_with_its_use_unknown()
    {
        var rows = Plan([Usage(E3, "EXO", 1)], [Deployment(E3, 10, 10)], Carrying(Nce(10), E3), Carrying(Nce(3, refundable: [new RefundableSeats(3, Now.AddDays(1))]), Exchange));

        var foreign = rows.Single(r => r.Match == LicenseMatch.NotInAnalytics);
        Assert.Equal(Exchange.ToString().ToUpperInvariant(), foreign.ProductId);
        Assert.Null(foreign.PaidSeats);
        Assert.Equal(3, foreign.RefundableSeats);
        Assert.Null(foreign.CuttableNow);
    }

    [Fact]
    public void Suspended_and_ended_subscriptions_carry_nothing_and_trials_are_never_cuttable()
    {
        var rows = Plan([Usage(E3, "EXO", 0)], [Deployment(E3, 25, 25)],
            Carrying(Nce(10, status: "expired"), E3), Carrying(Nce(10, status: "deleted"), E3), Carrying(Nce(10, status: "suspended"), E3),
            Carrying(Nce(25, trial: true, refundable: [new RefundableSeats(25, Now.AddDays(3))]), E3));
        var row = rows.Single();

        Assert.Single(row.Subscriptions);
        Assert.Equal(25, row.SubscribedSeats);
        Assert.Equal(0, row.RefundableSeats);
        Assert.Equal(0, row.CuttableNow);
        Assert.Equal(0, row.RenewingSeats);
        Assert.Equal(0, row.CuttableAtRenewal);
        Assert.Null(row.ActBy);
    }

    [Fact]
    public void Unknown_values_stay_unknown_never_zero()
    {
        var silent = Nce(null, autoRenew: null);
        silent.RefundableQuantity = null;
        var row = Plan([Usage(E3, "EXO", null)], [Deployment(E3, 10, null)], Carrying(silent, E3)).Single();

        Assert.Null(row.ActiveSeats);
        Assert.Null(row.UnusedSeats);
        Assert.Null(row.FreeSeats);
        Assert.Null(row.SubscribedSeats);
        Assert.Null(row.OtherSourceSeats);
        Assert.Null(row.RefundableSeats);
        Assert.Null(row.CuttableNow);
        Assert.Null(row.RenewingSeats);
        Assert.Null(row.CuttableAtRenewal);
        Assert.Null(row.CuttableSeats);
        Assert.Null(row.AutoRenewEnabled);
    }

    [Fact]
    public void When_activity_is_unknown_at_least_the_free_seats_can_be_cut()
    {
        var row = Plan([], [Deployment(E3, 10, 6)], Carrying(Nce(10), E3)).Single();

        Assert.Null(row.UnusedSeats);
        Assert.Equal(4, row.CuttableAtRenewal);
    }

    [Fact]
    public void Only_the_customers_latest_processed_day_counts_and_names_never_join()
    {
        var older = Processed.AddDays(-30);
        var rows = Plan(
            [Usage(E3, "EXO", 2, processed: older), Usage(E3, "EXO", 9)],
            [Deployment(E3, 40, 40, processed: older), Deployment(E3, 10, 10)],
            Carrying(new CustomerSubscription { FriendlyName = "OFFICE 365 E3", OfferName = "OFFICE 365 E3", Quantity = 10, Status = "active", ProductType = "OnlineServicesNCE", OfferId = "X:Y:Z" }));

        Assert.Equal(10, rows[0].PaidSeats);
        Assert.Equal(9, rows[0].ActiveSeats);
        Assert.Equal(LicenseMatch.NoSubscription, rows[0].Match);
        Assert.Equal(LicenseMatch.Missing, rows[1].Match);
    }

    [Fact]
    public void A_product_whose_analytics_id_is_not_a_sku_guid_can_match_nothing_and_says_so()
    {
        var row = Plan([], [new CustomerLicenseDeployment { CustomerId = Customer, ProductId = "CFQ7TTC0LF8Q", ProductName = "OFFICE 365 E3", LicensesSold = 5, LicensesDeployed = 5, ProcessedDateTime = Processed }]).Single();

        Assert.Equal(LicenseMatch.Missing, row.Match);
        Assert.Null(row.OtherSourceSeats);
        Assert.Contains("no Microsoft Entra SKU id", row.MatchNote);
    }

    [Fact]
    public void Seats_returned_now_from_a_renewing_subscription_are_not_cut_again_at_its_renewal()
    {
        // 30 paid, 5 in use; this partner's one renewing subscription has 10 seats, all still refundable.
        var row = Plan([Usage(E3, "EXO", 5)], [Deployment(E3, 30, 30)], Carrying(Nce(10, refundable: [new RefundableSeats(10, Now.AddDays(3))]), E3)).Single();

        Assert.Equal(10, row.CuttableNow);
        Assert.Equal(0, row.CuttableAtRenewal);
        Assert.Equal(10, row.CuttableSeats);
    }

    [Fact]
    public void Seats_returned_now_from_a_subscription_that_ends_leave_the_renewing_one_whole()
    {
        var ending = Nce(4, autoRenew: false, refundable: [new RefundableSeats(4, Now.AddDays(3))]);
        var row = Plan([Usage(E3, "EXO", 2)], [Deployment(E3, 14, 14)], Carrying(ending, E3), Carrying(Nce(10), E3)).Single();

        Assert.Equal(4, row.CuttableNow);
        Assert.Equal(8, row.CuttableAtRenewal);
    }

    [Fact]
    public void Without_refund_data_the_return_window_is_unknown_but_the_renewal_still_counts_every_unused_seat()
    {
        var silent = Nce(20);
        silent.RefundableQuantity = null;
        var row = Plan([Usage(E3, "EXO", 12)], [Deployment(E3, 20, 20)], Carrying(silent, E3)).Single();

        Assert.Null(row.RefundableSeats);
        Assert.Null(row.CuttableNow);
        Assert.Equal(8, row.CuttableAtRenewal);
        Assert.Equal(8, row.CuttableSeats);
        Assert.Equal(row.NextRenewal, row.ActBy);
    }

    [Fact]
    public void Usage_processed_on_another_day_than_deployment_still_counts_each_as_of_its_own_latest_day()
    {
        var row = Plan([Usage(E3, "EXO", 7, processed: Processed.AddDays(-5))], [Deployment(E3, 10, 10)], Carrying(Nce(10), E3)).Single();

        Assert.Equal(7, row.ActiveSeats);
        Assert.Equal(3, row.UnusedSeats);
    }

    [Fact]
    public void A_next_term_scheduled_onto_another_sku_takes_every_seat_away_from_the_product_at_renewal()
    {
        var moving = Nce(10);
        moving.NextTermQuantity = 10;
        moving.NextTermOfferId = "CFQ7TTC0LFLZ:0002:CFQ7TTC0K5DM";
        var row = Plan([Usage(E3, "EXO", 5)], [Deployment(E3, 10, 10)], Carrying(moving, E3)).Single();

        Assert.Equal(10, moving.ScheduledReduction);
        Assert.Equal(10, row.ScheduledReduction);
        Assert.Equal(0, row.CuttableAtRenewal);
    }

    [Theory]
    [InlineData(20L, null, null, null)]
    [InlineData(20L, 15L, null, 5L)]
    [InlineData(20L, 25L, null, 0L)]
    [InlineData(20L, 20L, "CFQ7TTC0LF8Q:0001:CFQ7TTC0ZZZZ", 0L)]
    [InlineData(null, 15L, null, null)]
    [InlineData(null, null, null, null)]
    public void The_seats_scheduled_away_at_renewal_are_known_only_when_something_is_scheduled_and_the_quantity_is_known(long? quantity, long? nextTerm, string? nextOffer, long? expected)
    {
        var subscription = Nce(quantity, nextTerm: nextTerm);
        subscription.NextTermOfferId = nextOffer;
        Assert.Equal(expected, subscription.ScheduledReduction);
    }

    [Theory]
    [InlineData("6FD2C87F-B296-42F0-B197-1E91E994B900", 1)]
    [InlineData("6fd2c87f-b296-42f0-b197-1e91e994b900, 4B9405B0-7788-4568-ADD1-99614E613B69", 2)]
    [InlineData("6FD2C87F-B296-42F0-B197-1E91E994B900;6FD2C87F-B296-42F0-B197-1E91E994B900", 1)]
    [InlineData("", 0)]
    [InlineData("not-a-guid", 0)]
    [InlineData(null, 0)]
    public void Provisioning_ids_are_the_guids_a_catalog_sku_names(string? text, int count) =>
        Assert.Equal(count, ProvisioningIds.Parse(text).Count);
}
