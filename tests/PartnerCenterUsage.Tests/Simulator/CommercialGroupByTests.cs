using System.Globalization;
using System.Text.Json;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>The groupby of the commercial analytics: the group fields and the summed measures only.</summary>
public sealed class CommercialGroupByTests
{
    private const string UsagePath = "/v1/analytics/commercial/usage/license";
    private const string DeploymentPath = "/v1/analytics/commercial/deployment/license";

    private static long Long(JsonElement row, string name) => row.GetProperty(name).GetInt64();

    [Fact]
    public async Task Usage_grouped_by_workload_has_one_row_per_workload_in_order_of_first_appearance_with_summed_licenses()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var page = await http.GetPageAsync(UsagePath + "?groupby=workloadName");

        var expected = http.Data.UsageRows.Select(r => r.Row).GroupBy(u => u.WorkloadName)
            .Select(g => (g.Key, g.Sum(u => u.LicensesActive), g.Sum(u => u.LicensesQualified))).ToList();
        Assert.Equal(expected, page.Rows.Select(r => (CommercialPage.Text(r, "workloadName"), Long(r, "licensesActive"), Long(r, "licensesQualified"))));
        Assert.Equal(expected.Count, page.TotalCount);
        Assert.All(page.Rows, r => Assert.Equal(["workloadName", "licensesActive", "licensesQualified", "processedDateTime"], r.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task Deployment_grouped_by_customer_and_channel_after_the_filter_sums_deployed_and_sold()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var page = await http.GetPageAsync(DeploymentPath + "?groupby=CHANNEL, customerTenantId&filter=" + Uri.EscapeDataString("productId ne '6FD2C87F-B296-42F0-B197-1E91E994B900'"));

        var expected = http.Data.DeploymentRows.Where(r => r.Row.ProductId != "6FD2C87F-B296-42F0-B197-1E91E994B900").GroupBy(r => (r.Row.Channel, r.Customer.Id))
            .Select(g => (g.Key.Channel, g.Key.Id, g.Sum(r => r.Row.LicensesDeployed), g.Sum(r => r.Row.LicensesSold))).ToList();
        Assert.Equal(expected, page.Rows.Select(r => (
            CommercialPage.Text(r, "channel"), r.GetProperty("customerTenantId").GetGuid(), Long(r, "licensesDeployed"), Long(r, "licensesSold"))));
        Assert.All(page.Rows, r => Assert.Equal(
            ["channel", "customerTenantId", "licensesDeployed", "licensesSold", "processedDateTime"], r.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task A_group_has_the_latest_processed_date_of_its_rows()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var page = await http.GetPageAsync(DeploymentPath + "?groupby=productName");

        // The seed customer's rows keep the documentation's 2017 date: a product only it has keeps that date, the others 2026's.
        var expected = http.Data.DeploymentRows.GroupBy(r => r.Row.ProductName)
            .Select(g => (g.Key, g.Max(r => r.Row.ProcessedDateTime).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(expected, page.Rows.Select(r => (CommercialPage.Text(r, "productName"), CommercialPage.Text(r, "processedDateTime"))));
        Assert.Contains(expected, e => e.Item2.StartsWith("2017", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.Item2.StartsWith("2026", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_active_licenses_keep_the_configured_name_when_grouped()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { UsageActiveFieldName = "licenseActive" });

        var page = await http.GetPageAsync(UsagePath + "?groupby=serviceName");

        Assert.All(page.Rows, r => Assert.Equal(["serviceName", "licenseActive", "licensesQualified", "processedDateTime"], r.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(http.Data.UsageRows.Sum(r => r.Row.LicensesActive), page.Rows.Sum(r => Long(r, "licenseActive")));
    }

    [Fact]
    public async Task Paging_applies_to_the_grouped_rows()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 40 });
        var all = await http.GetPageAsync(UsagePath + "?groupby=customerTenantId");

        var first = await http.GetPageAsync(UsagePath + "?groupby=customerTenantId&top=10");
        var second = await http.GetPageAsync(first.NextLink!);

        Assert.Equal(all.TotalCount, first.TotalCount);
        Assert.Equal(http.Data.Customers.Count(c => c.Usage.Count > 0), all.TotalCount);
        Assert.Equal(all.Rows.Skip(10).Take(10).Select(r => r.ToString()), second.Rows.Select(r => r.ToString()));
        Assert.Contains("groupby=customerTenantId", first.NextLink, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UsagePath, "licensesActive")]
    [InlineData(UsagePath, "workloadName,")]
    [InlineData(UsagePath, "workloadName,,channel")]
    [InlineData(UsagePath, "")]
    [InlineData(DeploymentPath, "workloadName")]
    public async Task An_unknown_or_empty_field_is_a_400(string path, string groupBy)
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });

        var answer = await http.GetAsync(path + "?groupby=" + Uri.EscapeDataString(groupBy));

        Assert.Equal(400, answer.Status);
        Assert.StartsWith("Invalid groupby", answer.Json.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
