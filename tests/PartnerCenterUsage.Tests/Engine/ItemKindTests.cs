using System.Text;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Models;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// Each endpoint's reader knows its own items: an answer whose items are another endpoint's (Microsoft's documented
/// bodies of ../shared/corpus served on the wrong route) is refused as an invalid response that says whose they are and
/// what shows it, never read as rows of unknowns; a sparse item, or one with fields nobody documents, is still read.
/// </summary>
public sealed class ItemKindTests
{
    private static byte[] Corpus(string folder, string file) => File.ReadAllBytes(Repo.Path("..", "shared", "corpus", folder, file));

    [Fact]
    public void Partner_wide_usage_rows_are_not_a_customer_s_usage_rows()
    {
        var error = Assert.Throws<PartnerCenterInvalidResponseException>(() => Usage(Corpus("partner-usage", "doc-2021.json"), EnvelopeShape.Classic));

        Assert.Equal(
            "The response to the test holds partner-wide license usage rows, not license usage rows: the item at items[0] has objectType 'PartnerLicensesUsageInsights'. Partner Center answered with another endpoint's document.",
            error.Message);
    }

    [Fact]
    public void Without_an_objectType_a_field_only_the_other_kind_has_tells_whose_item_it_is()
    {
        const string PartnerRow = """{"totalCount":1,"items":[{"workloadName":"Exchange","serviceName":"o365","channel":"reseller","proratedLicensesUsagePercent":2.13}]}""";

        var error = Assert.Throws<PartnerCenterInvalidResponseException>(() => Usage(Encoding.UTF8.GetBytes(PartnerRow), EnvelopeShape.Classic));

        Assert.Contains("holds partner-wide license usage rows, not license usage rows: the item at items[0] has 'proratedLicensesUsagePercent'.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("doc-2021.json")]
    [InlineData("doc-2018-two-customers.json")]
    public void A_commercial_deployment_page_is_not_a_commercial_usage_page(string file)
    {
        var error = Assert.Throws<PartnerCenterInvalidResponseException>(() => Usage(Corpus("commercial-deployment", file), EnvelopeShape.Commercial));

        Assert.Contains("holds license deployment rows, not license usage rows: the item at Value[0] has 'licensesDeployed'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_customer_s_usage_rows_are_not_its_deployment_rows()
    {
        var error = Assert.Throws<PartnerCenterInvalidResponseException>(() =>
            PartnerCenterJson.ReadPage<LicenseDeploymentJson, CustomerLicenseDeployment>(Corpus("customer-usage", "doc-2021.json"), EnvelopeShape.Classic, "the test", r => r.ToModel(null)));

        Assert.Contains("holds license usage rows, not license deployment rows", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("doc-2017.json")]
    [InlineData("doc-by-partner-2021.json")]
    public void Subscriptions_are_not_customers_though_each_has_an_id(string file)
    {
        var error = Assert.Throws<PartnerCenterInvalidResponseException>(() =>
            PartnerCenterJson.ReadPage<CustomerJson, PartnerCustomer>(Corpus("subscriptions", file), EnvelopeShape.Classic, "the test", c => c.ToCustomer()));

        Assert.Contains("holds subscriptions, not customers: the item at items[0] has objectType 'Subscription'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_subscription_is_not_one_customer()
    {
        var error = Assert.Throws<PartnerCenterInvalidResponseException>(() =>
            PartnerCenterJson.ReadObject<CustomerJson>(Corpus("subscriptions", "spring-social-single-subscription.json"), "the test", out _));

        Assert.Contains("holds subscriptions, not customers: it has objectType 'Subscription'.", error.Message, StringComparison.Ordinal);

        const string Untagged = """{"id":"6C36999D-F573-408D-A463-ED9EAC6319E1","offerId":"MS-AZR-0146P","quantity":20}""";
        error = Assert.Throws<PartnerCenterInvalidResponseException>(() => PartnerCenterJson.ReadObject<CustomerJson>(Encoding.UTF8.GetBytes(Untagged), "the test", out _));
        Assert.Contains("holds subscriptions, not customers: it has 'offerId'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subscribed_SKU_list_is_not_a_subscription_list()
    {
        var error = Assert.Throws<PartnerCenterInvalidResponseException>(() =>
            PartnerCenterJson.ReadPage<SubscriptionJson, CustomerSubscription>(Corpus("subscribedskus", "doc-list-2019-bom.json"), EnvelopeShape.Classic, "the test", s => s.ToModel()));

        Assert.Contains("holds subscribed SKUs, not subscriptions", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"productName":"Sparse Suite"}""")]
    [InlineData("""{"productName":"Suite","licensesActive":5,"licensesDeployed":7}""")]
    [InlineData("""{"productName":"Suite","licensesActive":5,"attributes":{"objectType":"CustomerLicensesUsageInsightsV2"}}""")]
    [InlineData("""{"productName":"Suite","licensesActive":5,"attributes":"not an object","someFieldNobodyDocuments":[1,2]}""")]
    [InlineData("""{"productName":"Suite","licensesActive":5,"attributes":{"etag":"x","objectType":"CustomerLicensesUsageInsights"}}""")]
    public void Without_positive_evidence_of_another_kind_an_item_is_read_as_its_endpoint_s(string item)
    {
        var page = Usage(Encoding.UTF8.GetBytes($$"""{"totalCount":1,"items":[{{item}}]}"""), EnvelopeShape.Classic);

        Assert.Equal(Assert.Single(page.Items).ProductName, item.Contains("Sparse", StringComparison.Ordinal) ? "Sparse Suite" : "Suite");
    }

    [Fact]
    public void The_objectType_is_matched_in_any_casing_of_its_name_and_value()
    {
        const string Body = """{"totalCount":1,"items":[{"workloadName":"Exchange","Attributes":{"ObjectType":"partnerlicensesusageinsights"}}]}""";

        var error = Assert.Throws<PartnerCenterInvalidResponseException>(() => Usage(Encoding.UTF8.GetBytes(Body), EnvelopeShape.Classic));

        Assert.Contains("holds partner-wide license usage rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_item_type_is_a_kind_with_fields_of_its_own_that_no_other_kind_reads()
    {
        var wireTypes = typeof(WireItem).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(WireItem).IsAssignableFrom(t)).ToList();
        Assert.Equal(wireTypes.Count, WireKinds.All.Count);
        Assert.True(wireTypes.Count >= 9, "customers, subscriptions, SKUs, usage, deployment, two partner-wide kinds, catalog SKUs, provisioning");

        foreach (var kind in WireKinds.All)
        {
            Assert.NotEmpty(kind.OwnFields);
            Assert.NotEmpty(kind.ObjectTypes);
            foreach (var other in WireKinds.All.Where(k => k != kind))
            {
                // A name this kind marks as its own, read by another kind's type, would never reach that type's unmapped
                // fields, so it could not tell the two apart.
                Assert.Empty(kind.OwnFields.Intersect(other.ReadFields, StringComparer.OrdinalIgnoreCase));
                Assert.Empty(kind.ObjectTypes.Intersect(other.ObjectTypes, StringComparer.OrdinalIgnoreCase));
            }
        }
    }

    [Fact]
    public void The_documented_bodies_of_each_endpoint_are_its_own()
    {
        Assert.Equal(5, Usage(Corpus("customer-usage", "doc-2021.json"), EnvelopeShape.Classic).Items.Count);
        Assert.Equal(5, Usage(Corpus("customer-usage", "doc-2018-bom.json"), EnvelopeShape.Classic).Items.Count);
        Assert.Equal(2, PartnerCenterJson.ReadPage<LicenseDeploymentJson, CustomerLicenseDeployment>(Corpus("commercial-deployment", "doc-2021.json"), EnvelopeShape.Commercial, "the test", r => r.ToModel(null)).Items.Count);
        Assert.Equal(5, PartnerCenterJson.ReadPage<PartnerLicenseUsageJson, PartnerLicenseUsage>(Corpus("partner-usage", "doc-2021.json"), EnvelopeShape.Classic, "the test", r => r.ToModel()).Items.Count);
        Assert.NotNull(PartnerCenterJson.ReadObject<SubscriptionJson>(Corpus("subscriptions", "spring-social-single-subscription.json"), "the test", out _).OfferId);
        Assert.NotNull(PartnerCenterJson.ReadObject<CustomerJson>(Corpus("customer", "doc-by-id-2021.json"), "the test", out _).Id);
    }

    private static Page<CustomerLicenseUsage> Usage(byte[] body, EnvelopeShape shape) =>
        PartnerCenterJson.ReadPage<LicenseUsageJson, CustomerLicenseUsage>(body, shape, "the test", r => r.ToModel(null));
}
