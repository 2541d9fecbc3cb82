using System.Text;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class PartnerCenterJsonTests
{
    private static IReadOnlyList<CustomerLicenseUsage> Read(string json) => ReadPage(json, EnvelopeShape.Classic).Items;

    private static Page<CustomerLicenseUsage> ReadPage(string json, EnvelopeShape shape) =>
        PartnerCenterJson.ReadPage<LicenseUsageJson, CustomerLicenseUsage>(Encoding.UTF8.GetBytes(json), shape, "the test", r => r.ToModel(null));

    [Fact]
    public void A_collection_reads_every_documented_field()
    {
        var row = Assert.Single(Read("""
            {"totalCount": 1, "items": [{
              "customerId": "0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e", "customerName": "Contoso", "productName": "OFFICE 365 E3",
              "serviceCode": "O365", "serviceName": "o365", "workloadCode": "EXO", "workloadName": "Exchange",
              "licensesActive": 9000000000, "licensesQualified": 9000000001, "usagePercent": 99.5,
              "processedDateTime": "2026-11-01T00:00:00+02:00", "channel": "reseller",
              "attributes": {"objectType": "CustomerLicensesUsageInsights"}}],
             "attributes": {"objectType": "Collection"}}
            """));

        Assert.Equal(Guid.Parse("0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e"), row.CustomerId);
        Assert.Equal("Contoso", row.CustomerName);
        Assert.Equal("O365", row.ServiceCode);
        Assert.Equal("EXO", row.WorkloadCode);
        Assert.Equal(9000000000L, row.LicensesActive);
        Assert.Equal(9000000001L, row.LicensesQualified);
        Assert.Equal(99.5, row.UsagePercent);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(2)), row.ProcessedDateTime);
        Assert.Equal("reseller", row.Channel);
    }

    [Fact]
    public void An_empty_collection_may_leave_items_out_when_it_says_it_is_empty()
    {
        Assert.Empty(Read("""{"totalCount": 0}"""));
        Assert.Empty(Read("""{"totalCount": 0, "items": []}"""));
    }

    [Theory]
    [InlineData("""{"totalCount": 3}""")]
    [InlineData("""{}""")]
    [InlineData("""{"items": [null]}""")]
    [InlineData("""{"items": [1]}""")]
    [InlineData("""{"items": [{"usagePercent": true}]}""")]
    [InlineData("""{"items": [{"customerId": "not-a-guid"}]}""")]
    [InlineData("""{"items": [{"licensesActive": 1.5}]}""")]
    [InlineData("\"text\"")]
    public void Anything_else_is_an_invalid_response(string json)
    {
        Assert.Throws<PartnerCenterInvalidResponseException>(() => Read(json));
    }

    [Theory]
    [InlineData("""{"Value": [{"customerTenantId": "0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e", "licenseActive": 3, "licensesQualified": 4}], "@nextLink": "/v1/x?skip=1", "TotalCount": 9}""")]
    [InlineData("""{"value": [{"CUSTOMERTENANTID": "0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e", "licensesActive": 3, "licensesQualified": 4}], "nextLink": "/v1/x?skip=1", "totalCount": 9}""")]
    [InlineData("""{"VALUE": [{"customerTenantId": "0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e", "licensesActive": 3, "LicensesQualified": 4}], "@odata.nextLink": "/v1/x?skip=1", "TOTALCOUNT": 9}""")]
    public void A_commercial_page_reads_in_any_casing_with_either_spelling_of_the_active_count(string json)
    {
        var page = ReadPage(json, EnvelopeShape.Commercial);

        var row = Assert.Single(page.Items);
        Assert.Equal(Guid.Parse("0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e"), row.CustomerId);
        Assert.Equal(3, row.LicensesActive);
        Assert.Equal(4, row.LicensesQualified);
        Assert.Equal(1, row.LicensesInactive);
        Assert.Equal(75.0, row.UsagePercent);
        Assert.Equal(9, page.TotalCount);
        Assert.Equal("/v1/x?skip=1", page.NextLink);
    }

    [Fact]
    public void A_byte_order_mark_before_the_JSON_is_tolerated()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("""{"Value": [{"productName": "X"}], "@nextLink": null}""")).ToArray();

        var page = PartnerCenterJson.ReadPage<LicenseUsageJson, CustomerLicenseUsage>(body, EnvelopeShape.Commercial, "the test", r => r.ToModel(null));

        Assert.Equal("X", Assert.Single(page.Items).ProductName);
        Assert.Null(page.NextLink);
        Assert.Null(page.TotalCount);
    }

    [Theory]
    [InlineData("""{"items": [{"productName": "X"}]}""")]
    [InlineData("""{"TotalCount": 3}""")]
    [InlineData("""{"Value": [null]}""")]
    public void A_commercial_page_needs_its_Value_array(string json)
    {
        Assert.Throws<PartnerCenterInvalidResponseException>(() => ReadPage(json, EnvelopeShape.Commercial));
    }

    [Fact]
    public void A_classic_page_gives_links_next_with_its_continuation_header()
    {
        var page = ReadPage(
            """{"totalCount": 1, "items": [{"productName": "X"}], "continuationToken": "body-token", "links": {"next": {"uri": "/customers?seekOperation=Next", "method": "GET", "headers": [{"key": "ms-continuationtoken", "value": "header-token"}]}}}""",
            EnvelopeShape.Classic);

        Assert.Equal("/customers?seekOperation=Next", page.NextLink);
        Assert.Equal("header-token", page.ContinuationToken);
    }

    [Fact]
    public void Counts_the_service_did_not_send_are_unknown_and_so_is_what_is_computed_from_them()
    {
        var row = Assert.Single(Read("""{"items": [{"licensesQualified": 10}]}"""));

        Assert.Null(row.LicensesActive);
        Assert.Null(row.LicensesInactive);
        Assert.Null(row.UsagePercent);
        Assert.Equal(0.0, Assert.Single(Read("""{"items": [{"licensesQualified": 0, "licensesActive": 0}]}""")).UsagePercent);
        Assert.Equal(12.5, Assert.Single(Read("""{"items": [{"licensesQualified": 8, "licensesActive": 1, "usagePercent": 12.5}]}""")).UsagePercent);
    }

    [Theory]
    [InlineData("2026-11-01T08:30:00Z", "2026-11-01T08:30:00+00:00")]
    [InlineData("2026-11-01T08:30:00.1234567-05:00", "2026-11-01T08:30:00.1234567-05:00")]
    [InlineData("2026-11-01T08:30:00.5", "2026-11-01T08:30:00.5+00:00")]
    [InlineData("2026-11-01", "2026-11-01T00:00:00+00:00")]
    [InlineData("11/01/2026 08:30:00", "2026-11-01T08:30:00+00:00")]
    [InlineData("2026-11-01T08:30:00\u002B01:00", "2026-11-01T08:30:00+01:00")]
    public void Dates_read_in_the_ISO_forms_and_what_the_invariant_culture_reads_without_offset_as_UTC(string sent, string expected)
    {
        var row = Assert.Single(Read($$"""{"items": [{"processedDateTime": "{{sent}}"}]}"""));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), row.ProcessedDateTime);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, row.ProcessedDateTime!.Value.Offset);
    }

    [Theory]
    [InlineData("\"\"", null)]
    [InlineData("\"  \"", null)]
    [InlineData("null", null)]
    [InlineData("\"{0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e}\"", "0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e")]
    [InlineData("\"0A6C3A797C4E4F51A8A51F8B2E3C4D5E\"", "0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e")]
    public void An_empty_id_is_no_id_and_other_spellings_of_a_GUID_are_the_id(string sent, string? expected)
    {
        var row = Assert.Single(ReadPage($$"""{"Value": [{"customerTenantId": {{sent}}, "productName": "X"}]}""", EnvelopeShape.Commercial).Items);

        Assert.Equal(expected is null ? null : Guid.Parse(expected), row.CustomerId);
    }

    [Fact]
    public void A_computed_share_is_not_rounded()
    {
        var row = Assert.Single(Read("""{"items": [{"licensesActive": 1, "licensesQualified": 3}]}"""));

        Assert.Equal(100.0 / 3, row.UsagePercent);
    }

    [Fact]
    public void A_time_without_offset_is_taken_as_UTC()
    {
        var row = Assert.Single(Read("""{"items": [{"processedDateTime": "2026-11-01T08:30:00"}]}"""));

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 8, 30, 0, TimeSpan.Zero), row.ProcessedDateTime);
    }

    [Theory]
    [InlineData("""{"code": "20002", "description": "No relationship.", "data": [], "source": "PartnerFD"}""", "20002", "No relationship.")]
    [InlineData("""{"code": 900421, "description": "MFA required."}""", "900421", "MFA required.")]
    [InlineData("""{"statusCode": 429, "message": "Rate limit is exceeded. Try again in 57 seconds."}""", null, "Rate limit is exceeded. Try again in 57 seconds.")]
    [InlineData("""<html>Bad gateway</html>""", null, null)]
    [InlineData("""[]""", null, null)]
    [InlineData("", null, null)]
    public void Error_bodies_give_their_code_and_description_in_either_shape(string body, string? code, string? description)
    {
        var error = PartnerCenterJson.ReadError(Encoding.UTF8.GetBytes(body));

        Assert.Equal(code, error.Code);
        Assert.Equal(description, error.Description);
    }
}
