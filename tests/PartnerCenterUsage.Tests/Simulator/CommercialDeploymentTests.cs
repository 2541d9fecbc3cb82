using System.Globalization;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>GET /v1/analytics/commercial/deployment/license: a row per deployment row of every customer.</summary>
public sealed class CommercialDeploymentTests
{
    private const string Path = "/v1/analytics/commercial/deployment/license";

    [Fact]
    public async Task Each_deployment_row_of_each_customer_is_a_row_with_the_documented_fields_in_customer_order()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var page = await http.GetPageAsync(Path);

        var expected = http.Data.DeploymentRows;
        Assert.Equal(expected.Count, page.TotalCount);
        Assert.Null(page.NextLink);
        Assert.Equal(expected.Count, page.Rows.Count);
        foreach (var (row, (customer, deployment)) in page.Rows.Zip(expected))
        {
            Assert.Equal(
                ["customerTenantId", "customerName", "productId", "productName", "serviceCode", "serviceName", "channel",
                 "licensesDeployed", "licensesSold", "processedDateTime"],
                row.EnumerateObject().Select(p => p.Name));
            Assert.Equal(customer.Id, row.GetProperty("customerTenantId").GetGuid());
            Assert.Equal(
                [customer.CompanyName, deployment.ProductId, deployment.ProductName, deployment.ServiceCode, deployment.ServiceName, deployment.Channel],
                new[] { "customerName", "productId", "productName", "serviceCode", "serviceName", "channel" }.Select(f => CommercialPage.Text(row, f)));
            Assert.Equal(deployment.LicensesDeployed, row.GetProperty("licensesDeployed").GetInt64());
            Assert.Equal(deployment.LicensesSold, row.GetProperty("licensesSold").GetInt64());
            Assert.Equal(deployment.ProcessedDateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), CommercialPage.Text(row, "processedDateTime"));
        }
    }

    [Fact]
    public async Task Each_customers_deployment_agrees_with_its_commercial_rows()
    {
        await using var http = await SimulatorHttp.StartAsync();
        var all = await http.GetPageAsync(Path);

        foreach (var customer in http.Data.Customers)
        {
            var classic = (await http.GetJsonAsync($"/v1/customers/{customer.Id}/analytics/licenses/deployment")).GetProperty("items").EnumerateArray().ToList();
            var commercial = all.Rows.Where(r => r.GetProperty("customerTenantId").GetGuid() == customer.Id).ToList();

            Assert.Equal(
                classic.Select(i => (Product: i.GetProperty("productName").GetString()!, Service: i.GetProperty("serviceName").GetString()!, Channel: i.GetProperty("channel").GetString()!,
                    Deployed: i.GetProperty("licensesDeployed").GetInt64(), Sold: i.GetProperty("licensesSold").GetInt64(), Customer: i.GetProperty("customerName").GetString()!,
                    Processed: DateTimeOffset.Parse(i.GetProperty("processedDateTime").GetString()!, CultureInfo.InvariantCulture).UtcDateTime)),
                commercial.Select(r => (Product: CommercialPage.Text(r, "productName"), Service: CommercialPage.Text(r, "serviceName"), Channel: CommercialPage.Text(r, "channel"),
                    Deployed: r.GetProperty("licensesDeployed").GetInt64(), Sold: r.GetProperty("licensesSold").GetInt64(), Customer: CommercialPage.Text(r, "customerName"),
                    Processed: DateTime.Parse(CommercialPage.Text(r, "processedDateTime"), CultureInfo.InvariantCulture))));
        }
    }

    [Fact]
    public async Task Usage_and_deployment_agree_on_each_customers_products_and_qualified_licenses()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var usage = await http.GetPageAsync("/v1/analytics/commercial/usage/license");
        var deployment = await http.GetPageAsync(Path);

        var qualified = usage.Rows
            .Select(r => (Customer: CommercialPage.Text(r, "customerTenantId"), Product: CommercialPage.Text(r, "productId"), Qualified: r.GetProperty("licensesQualified").GetInt64()))
            .Distinct();
        Assert.Equal(qualified, deployment.Rows.Select(r => (
            CommercialPage.Text(r, "customerTenantId"), CommercialPage.Text(r, "productId"), r.GetProperty("licensesDeployed").GetInt64())));
    }
}
