using System.Text;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Models;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// A subscription as Partner Center writes it, read into a row: the documented bodies of the shared corpus (which
/// nobody here wrote, some of them not quite JSON), then New Commerce's fields, the end of a term, and what is unknown.
/// </summary>
public sealed class CustomerSubscriptionReadingTests
{
    private static string Corpus(string file) => Repo.Path("..", "shared", "corpus", "subscriptions", file);

    private static Page<CustomerSubscription> ReadPage(byte[] body) =>
        PartnerCenterJson.ReadPage<SubscriptionJson, CustomerSubscription>(body, EnvelopeShape.Classic, "the test", s => s.ToModel());

    private static Page<CustomerSubscription> ReadPage(string json) => ReadPage(Encoding.UTF8.GetBytes(json));

    private static CustomerSubscription ReadOne(string item) => Assert.Single(ReadPage($$"""{"totalCount":1,"items":[{{item}}]}""").Items);

    public static TheoryData<string> CorpusCollections => ["doc-2017.json", "doc-2021-entitlementid.json", "doc-by-partner-2021.json"];

    [Theory]
    [MemberData(nameof(CorpusCollections))]
    public void Every_documented_collection_is_read_whole(string file)
    {
        var page = ReadPage(File.ReadAllBytes(Corpus(file)));

        var row = Assert.Single(page.Items);
        Assert.NotNull(row.SubscriptionId);
        Assert.Equal("active", row.Status);
        Assert.NotNull(row.Quantity);
        Assert.Null(page.NextLink);
    }

    [Theory]
    [InlineData("doc-2017.json")]
    [InlineData("doc-2021-entitlementid.json")]
    public void The_2017_example_s_dates_with_blanks_in_the_time_are_read_as_the_moment_they_name_not_a_failed_listing(string file)
    {
        // "2015-11-25T06: 41: 12Z", the documentation's typo, is read leniently (blanks allowed) as the moment it means;
        // the unreadable dates of Hostile_values_... are unknown instead, and neither fails the listing.
        var page = ReadPage(File.ReadAllBytes(Corpus(file)));

        var row = Assert.Single(page.Items);
        Assert.Equal("83ef9d05-4169-4ef9-9657-0e86b1eab1de", row.SubscriptionId);
        Assert.Equal("nickname", row.FriendlyName);
        Assert.Equal(1L, row.Quantity);
        Assert.Equal("none", row.UnitType);
        Assert.Equal("none", row.BillingType);
        Assert.Equal("subscription", row.ContractType);
        Assert.Equal("6183db3d-6318-4e52-877e-25806e4971be", row.OrderId);
        Assert.False(row.AutoRenewEnabled);
        Assert.Null(row.IsTrial);
        Assert.Null(row.OfferId);
        Assert.Null(row.BillingCycle);
        Assert.Equal(new DateTimeOffset(2015, 11, 25, 6, 41, 12, TimeSpan.Zero), row.CreationDate);
        Assert.Equal(new DateTimeOffset(2015, 11, 24, 8, 0, 0, TimeSpan.Zero), row.EffectiveStartDate);
        Assert.Equal(new DateTimeOffset(2016, 12, 12, 8, 0, 0, TimeSpan.Zero), row.CommitmentEndDate);
        Assert.Empty(page.Unreadable);

        // Neither an offer GUID nor a New Commerce offer, nor a product type: which commerce it is, is unknown.
        Assert.Null(row.IsNewCommerce);
        Assert.Equal(row.CommitmentEndDate, row.TermEnd);
    }

    [Fact]
    public void The_legacy_example_by_partner_reads_every_field_it_has_and_its_end_as_sent()
    {
        var row = Assert.Single(ReadPage(File.ReadAllBytes(Corpus("doc-by-partner-2021.json"))).Items);

        Assert.Equal("42226ED6-070A-4E0F-B80C-4CDFB3E97AA7", row.SubscriptionId);
        Assert.Equal("DB2E705F-B82A-4024-A3D5-D88E12F2DB35", row.OfferId);
        Assert.Equal("Intune Device", row.OfferName);
        Assert.Equal("new offer purchase", row.FriendlyName);
        Assert.Equal(5L, row.Quantity);
        Assert.Equal("Licenses", row.UnitType);
        Assert.Equal(new DateTimeOffset(2017, 4, 10, 23, 2, 26, 20, TimeSpan.Zero), row.CreationDate);
        Assert.Equal(new DateTimeOffset(2017, 4, 10, 0, 0, 0, TimeSpan.Zero), row.EffectiveStartDate);
        Assert.Equal(new DateTimeOffset(2018, 5, 7, 0, 0, 0, TimeSpan.Zero), row.CommitmentEndDate);
        Assert.True(row.AutoRenewEnabled);
        Assert.False(row.IsTrial);
        Assert.Equal("license", row.BillingType);
        Assert.Equal("monthly", row.BillingCycle);
        Assert.Equal("4847383", row.PartnerId);
        Assert.Equal("3EDDCAC6-63B2-4C40-B0B6-F47E18301492", row.OrderId);

        // Legacy: an offer GUID, no catalog ids, and the commitment end is the moment the term ends.
        Assert.False(row.IsNewCommerce);
        Assert.Null(row.ProductId);
        Assert.Null(row.SkuId);
        Assert.Equal(row.CommitmentEndDate, row.TermEnd);

        // Nothing of New Commerce's refunds and renewal was sent: unknown, not 0.
        Assert.Null(row.RefundableQuantity);
        Assert.Empty(row.RefundableSeats);
        Assert.Null(row.RefundableUntil);
        Assert.Null(row.NextTermQuantity);
        Assert.Null(row.ScheduledReduction);
        Assert.Null(row.TermDuration);
        Assert.Null(row.CancellationAllowedUntil);
    }

    [Fact]
    public void A_single_subscription_with_a_commitment_end_in_the_year_9999_never_ends()
    {
        var row = PartnerCenterJson.ReadObject<SubscriptionJson>(File.ReadAllBytes(Corpus("spring-social-single-subscription.json")), "the test", out var unreadable).ToModel();

        Assert.Empty(unreadable);
        Assert.Equal("6C36999D-F573-408D-A463-ED9EAC6319E1", row.SubscriptionId);
        Assert.Equal("MS-AZR-0146P", row.OfferId);
        Assert.Equal("Pay As You Go", row.FriendlyName);
        Assert.Equal("Usage-based", row.UnitType);
        Assert.Equal(20L, row.Quantity);
        Assert.Equal("usage", row.BillingType);
        Assert.Equal(new DateTimeOffset(9999, 12, 4, 0, 0, 0, TimeSpan.Zero), row.CommitmentEndDate);
        Assert.Null(row.TermEnd);
        Assert.False(row.AutoRenewEnabled);
        Assert.False(row.IsTrial);
        Assert.Null(row.IsNewCommerce); // an Azure offer id is neither a GUID nor productId:skuId:availabilityId
    }

    [Fact]
    public void A_New_Commerce_subscription_reads_its_catalog_ids_refunds_and_next_term()
    {
        var row = ReadOne("""
            {"id":"a1b2","offerId":"CFQ7TTC0LF8Q:0001:CFQ7TTC0K971","offerName":"Microsoft 365 Business Premium","friendlyName":"M365 BP",
             "quantity":25,"unitType":"Licenses","status":"active","productType":{"id":"OnlineServicesNCE","displayName":"OnlineServicesNCE"},
             "billingType":"license","billingCycle":"monthly","termDuration":"P1Y",
             "creationDate":"2026-01-05T10:00:00Z","effectiveStartDate":"2026-01-05T00:00:00Z","commitmentEndDate":"2027-01-04T00:00:00Z",
             "cancellationAllowedUntilDate":"2026-01-12T10:00:00Z","autoRenewEnabled":true,"isTrial":false,
             "refundOptions":[{"type":"Full","expiresAt":"2026-01-12T10:00:00Z"},{"type":"Partial","expiresAfter":"2026-02-04T10:00:00Z"}],
             "refundableQuantity":{"totalQuantity":7,"details":[{"quantity":5,"allowedUntilDateTime":"2026-01-12T10:00:00Z"},{"quantity":2,"allowedUntilDateTime":"2026-01-14T08:30:00Z"}]},
             "scheduledNextTermInstructions":{"product":{"productId":"CFQ7TTC0LF8Q","skuId":"0001","availabilityId":"CFQ7TTC0K971","billingCycle":"annual","termDuration":"P1Y"},"quantity":20}}
            """);

        Assert.True(row.IsNewCommerce);
        Assert.Equal(("CFQ7TTC0LF8Q", "0001", "CFQ7TTC0K971"), (row.ProductId, row.SkuId, row.AvailabilityId));
        Assert.Equal("OnlineServicesNCE", row.ProductType);
        Assert.Equal("P1Y", row.TermDuration);
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 10, 0, 0, TimeSpan.Zero), row.CancellationAllowedUntil);
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 10, 0, 0, TimeSpan.Zero), row.FullRefundUntil);
        Assert.Equal(new DateTimeOffset(2026, 2, 4, 10, 0, 0, TimeSpan.Zero), row.PartialRefundUntil); // the field table's spelling
        Assert.Equal(7L, row.RefundableQuantity);
        Assert.Equal([(5L, new DateTimeOffset(2026, 1, 12, 10, 0, 0, TimeSpan.Zero)), (2L, new DateTimeOffset(2026, 1, 14, 8, 30, 0, TimeSpan.Zero))],
            row.RefundableSeats.Select(b => (b.Quantity!.Value, b.AllowedUntil!.Value)));
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 8, 30, 0, TimeSpan.Zero), row.RefundableUntil);
        Assert.Equal("5 until 2026-01-12 10:00Z; 2 until 2026-01-14 08:30Z", row.RefundableSeats.ToString());
        Assert.Equal(20L, row.NextTermQuantity);
        Assert.Equal(5L, row.ScheduledReduction);
        Assert.Equal("CFQ7TTC0LF8Q:0001:CFQ7TTC0K971", row.NextTermOfferId);
        Assert.Equal("annual", row.NextTermBillingCycle);
        Assert.Null(row.NextTermEndDate);

        // New Commerce's commitment end is the term's last day: the term ends at the midnight after it.
        Assert.Equal(new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero), row.TermEnd);
    }

    [Theory]
    [InlineData("""{"friendlyName":"x","productType":{"id":"OnlineServicesNCE"},"commitmentEndDate":"2027-01-04T00:00:00Z"}""", "2027-01-05T00:00:00Z")]
    [InlineData("""{"friendlyName":"x","offerId":"CFQ7TTC0LF8Q:0001:CFQ7TTC0K971","commitmentEndDate":"2027-01-04T00:00:00Z"}""", "2027-01-05T00:00:00Z")]
    [InlineData("""{"friendlyName":"x","offerId":"CFQ7TTC0LF8Q:0001:CFQ7TTC0K971","commitmentEndDate":"2027-01-04T23:59:59-08:00"}""", "2027-01-06T00:00:00Z")]
    [InlineData("""{"friendlyName":"x","offerId":"DB2E705F-B82A-4024-A3D5-D88E12F2DB35","commitmentEndDate":"2027-01-04T00:00:00Z"}""", "2027-01-04T00:00:00Z")]
    [InlineData("""{"friendlyName":"x","productType":{"id":"Azure"},"commitmentEndDate":"2027-01-04T08:00:00Z"}""", "2027-01-04T08:00:00Z")]
    [InlineData("""{"friendlyName":"x","commitmentEndDateTime":"2027-01-04T12:00:00Z"}""", "2027-01-04T12:00:00Z")]
    [InlineData("""{"friendlyName":"x","offerId":"CFQ7TTC0LF8Q:0001:CFQ7TTC0K971","commitmentEndDate":"9999-12-31T00:00:00Z"}""", null)]
    [InlineData("""{"friendlyName":"x","commitmentEndDate":"9999-12-04T00:00:00Z"}""", null)]
    [InlineData("""{"friendlyName":"x","commitmentEndDate":"the end"}""", null)]
    [InlineData("""{"friendlyName":"x"}""", null)]
    public void The_term_ends_after_New_Commerce_s_last_day_at_another_subscription_s_end_and_never_for_year_9999(string item, string? termEnd)
    {
        Assert.Equal(termEnd is null ? null : DateTimeOffset.Parse(termEnd, System.Globalization.CultureInfo.InvariantCulture), ReadOne(item).TermEnd);
    }

    [Fact]
    public void Hostile_values_are_unknown_and_noted_the_row_and_the_listing_stand()
    {
        var page = ReadPage("""
            {"totalCount":2,"items":[
              {"id":"s1","friendlyName":"Hostile","quantity":"many","status":7,"autoRenewEnabled":"sometimes","isTrial":1,
               "commitmentEndDate":"2026-13-45","productType":"NCE","refundOptions":{"type":"Full"},"refundableQuantity":[1,2],
               "scheduledNextTermInstructions":"later","billingCycle":{"x":1}},
              {"id":"s2","friendlyName":"Fine","quantity":3,"status":"Active","autoRenewEnabled":"TRUE","isTrial":"false",
               "refundableQuantity":{"totalQuantity":2,"details":[null,{"quantity":null,"allowedUntilDateTime":null},{"quantity":"x","allowedUntilDateTime":"soon"},{"quantity":2}]}}
            ]}
            """);

        Assert.Equal(2, page.Items.Count);
        var hostile = page.Items[0];
        Assert.Equal(("s1", "Hostile"), (hostile.SubscriptionId, hostile.FriendlyName));
        foreach (var value in new object?[] { hostile.Quantity, hostile.AutoRenewEnabled, hostile.IsTrial, hostile.CommitmentEndDate, hostile.TermEnd,
            hostile.ProductType, hostile.FullRefundUntil, hostile.RefundableQuantity, hostile.NextTermQuantity, hostile.BillingCycle })
        {
            Assert.Null(value);
        }

        Assert.Equal("7", hostile.Status); // text, as a number's text: what it says, for the user to see
        Assert.Empty(hostile.RefundableSeats);
        Assert.NotEmpty(page.Unreadable);

        var fine = page.Items[1];
        Assert.True(fine.AutoRenewEnabled);
        Assert.False(fine.IsTrial);
        Assert.Equal(2L, fine.RefundableQuantity);
        // A batch with nothing readable in it is no batch; one with a part missing keeps what it has.
        Assert.Equal([(2L, (DateTimeOffset?)null)], fine.RefundableSeats.Select(b => (b.Quantity, b.AllowedUntil)));
        Assert.Equal("2 until ?", fine.RefundableSeats.ToString());
    }

    [Fact]
    public void An_item_with_none_of_a_subscription_s_fields_is_another_document_not_a_row_of_unknowns()
    {
        Assert.Throws<PartnerCenterInvalidResponseException>(() => ReadPage("""{"totalCount":1,"items":[{"code":"x","description":"y"}]}"""));

        // A status is what other resources have too (an order, say): not enough for a subscription. An id is.
        Assert.Throws<PartnerCenterInvalidResponseException>(() => ReadPage("""{"totalCount":1,"items":[{"status":"completed","kind":"order"}]}"""));
        Assert.Equal("s1", ReadOne("""{"id":"s1","status":null,"quantity":null}""").SubscriptionId);
    }
}
