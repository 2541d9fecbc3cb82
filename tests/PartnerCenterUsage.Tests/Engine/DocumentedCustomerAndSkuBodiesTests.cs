using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Models;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// Microsoft's documented customer and subscribed SKU bodies (../shared/corpus, which nobody here wrote), read by the
/// readers the cmdlets use: a customer named only in its billing profile keeps that name, and a collection whose count
/// is written with leading zeros ("totalCount": 04, not JSON) keeps its items; an item that cannot be read stays an error;
/// the identity platform's error body is read as a description.
/// </summary>
public sealed class DocumentedCustomerAndSkuBodiesTests
{
    private static byte[] Corpus(string folder, string file) => File.ReadAllBytes(Repo.Path("..", "shared", "corpus", folder, file));

    [Fact]
    public void A_customer_whose_only_company_name_is_its_billing_profile_s_is_named_by_it()
    {
        var customer = PartnerCenterJson.ReadObject<CustomerJson>(Corpus("customer", "spring-social-customer.json"), "the test", out _).ToCustomer();

        Assert.Equal("test company", customer.CompanyName);
        Assert.Equal(Guid.Parse("dfd8cc0a-c592-468c-8461-869a38d24738"), customer.CustomerId);
        Assert.Equal("xyz.ccsctp.net", customer.Domain);
    }

    [Fact]
    public void The_company_profile_s_name_comes_first_and_an_empty_one_is_no_name()
    {
        const string Both = """{"id":"dfd8cc0a-c592-468c-8461-869a38d24738","companyProfile":{"companyName":"Profile"},"billingProfile":{"companyName":"Billing"}}""";
        const string Empty = """{"id":"dfd8cc0a-c592-468c-8461-869a38d24738","companyProfile":{"companyName":""},"billingProfile":{"companyName":"Billing"}}""";
        const string Neither = """{"id":"dfd8cc0a-c592-468c-8461-869a38d24738","companyProfile":{"domain":"x.example"}}""";

        Assert.Equal("Profile", Read(Both).CompanyName);
        Assert.Equal("Billing", Read(Empty).CompanyName);
        Assert.Null(Read(Neither).CompanyName);
    }

    [Theory]
    [InlineData("doc-by-license-group-totalcount04.json")]
    [InlineData("doc-by-license-group-bom-totalcount04.json")]
    public void A_count_written_with_leading_zeros_is_read_as_its_number_and_every_SKU_is_kept(string file)
    {
        var page = PartnerCenterJson.ReadPage<SubscribedSkuJson, CustomerSubscribedSku>(Corpus("subscribedskus", file), EnvelopeShape.Classic, "the test", s => s.ToModel());

        Assert.Equal(4, page.TotalCount);
        Assert.Equal(4, page.Items.Count);
        Assert.All(page.Items, s => Assert.NotNull(s.AvailableUnits));
    }

    [Fact]
    public void Leading_zeros_inside_an_item_stay_an_error_and_only_the_top_level_count_is_repaired()
    {
        const string InItem = """{"totalCount": 1, "items": [{"availableUnits": 015, "productSku": {"id": "x"}}]}""";
        const string Nested = """{"items": [{"totalCount": 04, "productSku": {"id": "x"}}], "totalCount": 1}""";

        Assert.Throws<PartnerCenterInvalidResponseException>(() => PartnerCenterJson.ReadPage<SubscribedSkuJson, CustomerSubscribedSku>(System.Text.Encoding.UTF8.GetBytes(InItem), EnvelopeShape.Classic, "the test", s => s.ToModel()));
        Assert.Null(PartnerCenterJson.CountWithLeadingZeros(System.Text.Encoding.UTF8.GetBytes(Nested)));
        Assert.Equal((15, 1), PartnerCenterJson.CountWithLeadingZeros("""{"TotalCount": 04}"""u8.ToArray()));
        Assert.Null(PartnerCenterJson.CountWithLeadingZeros("""{"totalCount": 0, "items": []}"""u8.ToArray()));
    }

    [Fact]
    public void The_identity_platform_s_error_body_is_read_as_a_description_not_shown_as_raw_JSON()
    {
        var (code, description) = PartnerCenterJson.ReadError(Corpus("errors", "aad-401-invalid-grant.json"));

        // Not Partner Center's own error (no code of its): a description, so that a 404 of this shape stays an unknown route.
        Assert.Null(code);
        Assert.StartsWith("invalid_grant: AADSTS70002: Error validating credentials. AADSTS50126: Invalid username or password", description, StringComparison.Ordinal);
        Assert.Equal((null, "Forbidden: No access."), PartnerCenterJson.ReadError("""{"error": {"code": "Forbidden", "message": "No access."}}"""u8.ToArray()));
        Assert.Equal(("2000", "Invalid"), PartnerCenterJson.ReadError("""{"code": 2000, "description": "Invalid", "error": "ignored", "error_description": "ignored"}"""u8.ToArray()));
    }

    private static PartnerCustomer Read(string json) => PartnerCenterJson.ReadObject<CustomerJson>(System.Text.Encoding.UTF8.GetBytes(json), "the test", out _).ToCustomer();
}
