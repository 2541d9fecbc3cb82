using System.Globalization;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>GET /v1/analytics/commercial/usage/license: a row per usage row of every customer.</summary>
public sealed class CommercialUsageTests
{
    private const string Path = "/v1/analytics/commercial/usage/license";

    // Office 365 Business Essentials' Entra SKU, written upper case as the documentation's examples write productId.
    private const string BusinessEssentials = "3B555118-DA6A-4418-894F-7DF1E2096870";

    [Fact]
    public async Task Each_usage_row_of_each_customer_is_a_row_with_the_documented_fields_in_customer_order()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var page = await http.GetPageAsync(Path);

        var expected = http.Data.UsageRows;
        Assert.Equal(expected.Count, page.TotalCount);
        Assert.Equal(expected.Count, page.Rows.Count);
        Assert.Null(page.NextLink);
        foreach (var (row, (customer, usage)) in page.Rows.Zip(expected))
        {
            Assert.Equal(
                ["customerTenantId", "customerName", "productId", "productName", "serviceCode", "serviceName", "workloadCode", "workloadName", "channel",
                 "licensesActive", "licensesQualified", "processedDateTime"],
                row.EnumerateObject().Select(p => p.Name));
            Assert.Equal(customer.Id, row.GetProperty("customerTenantId").GetGuid());
            Assert.Equal(
                [customer.CompanyName, usage.ProductId, usage.ProductName, usage.ServiceCode, usage.ServiceName, usage.WorkloadCode, usage.WorkloadName, usage.Channel],
                new[] { "customerName", "productId", "productName", "serviceCode", "serviceName", "workloadCode", "workloadName", "channel" }.Select(f => CommercialPage.Text(row, f)));
            Assert.Equal(usage.LicensesActive, row.GetProperty("licensesActive").GetInt64());
            Assert.Equal(usage.LicensesQualified, row.GetProperty("licensesQualified").GetInt64());
            Assert.Equal(usage.ProcessedDateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), CommercialPage.Text(row, "processedDateTime"));
        }
    }

    [Fact]
    public async Task Processed_dates_have_no_offset_and_no_row_has_a_usagePercent()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var page = await http.GetPageAsync(Path);

        Assert.Contains(page.Rows, r => CommercialPage.Text(r, "processedDateTime") == "2026-11-01T00:00:00");
        Assert.Contains(page.Rows, r => CommercialPage.Text(r, "processedDateTime") == "2017-03-09T00:00:00");
        Assert.All(page.Rows, r => Assert.False(r.TryGetProperty("usagePercent", out _)));
    }

    [Fact]
    public async Task The_seed_customers_rows_carry_its_products_Entra_sku_guids()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var page = await http.GetPageAsync(Path + $"?filter=customerTenantId eq '{SimulatorOptions.SeedCustomerId}'");

        Assert.Equal(
            [BusinessEssentials, BusinessEssentials, BusinessEssentials, "4B9405B0-7788-4568-ADD1-99614E613B69", "EE02FD1B-340E-4A4B-B355-4A514E4C8943"],
            page.Rows.Select(r => CommercialPage.Text(r, "productId")));
    }

    [Fact]
    public async Task UsageActiveFieldName_gives_the_documentation_examples_spelling()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { UsageActiveFieldName = "licenseActive" });

        var page = await http.GetPageAsync(Path);

        Assert.All(page.Rows, r => Assert.False(r.TryGetProperty("licensesActive", out _)));
        Assert.Equal(http.Data.UsageRows.Select(r => r.Row.LicensesActive), page.Rows.Select(r => r.GetProperty("licenseActive").GetInt64()));
    }

    [Fact]
    public async Task The_default_envelope_is_Value_nextLink_TotalCount_exactly_so()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });

        var body = await http.GetJsonAsync(Path);

        Assert.Equal(["Value", "@nextLink", "TotalCount"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("@nextLink").ValueKind);
    }

    [Fact]
    public async Task Camel_casing_gives_value_nextLink_totalCount()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3, CommercialEnvelopeCasing = EnvelopeCasing.Camel });

        var body = await http.GetJsonAsync(Path);

        Assert.Equal(["value", "@nextLink", "totalCount"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(http.Data.UsageRows.Count, body.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Without_a_token_it_is_refused_as_every_route_is()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });
        http.Client.DefaultRequestHeaders.Authorization = null;

        var answer = await http.GetAsync(Path);

        Assert.Equal(401, answer.Status);
        Assert.Equal("800001", answer.Json.GetProperty("code").GetString());
    }
}
