using System.Text.Json;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>GET /v1/customers/{id}/analytics/licenses/deployment.</summary>
public sealed class CustomerDeploymentTests
{
    [Fact]
    public async Task Each_product_of_the_customer_is_an_item_with_the_documented_fields_and_no_customerId()
    {
        await using var http = await SimulatorHttp.StartAsync();
        var customer = http.Data.Customers.Skip(1).First(c => c.Deployment.Count > 1);

        var body = await http.GetJsonAsync($"/v1/customers/{customer.Id}/analytics/licenses/deployment");

        Assert.Equal(customer.Deployment.Count, body.GetProperty("totalCount").GetInt32());
        Assert.Equal("Collection", body.GetProperty("attributes").GetProperty("objectType").GetString());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(customer.Deployment.Count, items.Count);
        foreach (var (item, row) in items.Zip(customer.Deployment))
        {
            Assert.Equal(
                ["customerName", "productName", "serviceCode", "serviceName", "channel", "licensesDeployed", "licensesSold", "deploymentPercent", "processedDateTime", "attributes"],
                item.EnumerateObject().Select(p => p.Name));
            Assert.Equal(customer.CompanyName, item.GetProperty("customerName").GetString());
            Assert.Equal(row.ProductName, item.GetProperty("productName").GetString());
            Assert.Equal(row.ServiceCode, item.GetProperty("serviceCode").GetString());
            Assert.Equal(row.ServiceName, item.GetProperty("serviceName").GetString());
            Assert.Equal(row.Channel, item.GetProperty("channel").GetString());
            Assert.Equal(row.LicensesDeployed, item.GetProperty("licensesDeployed").GetInt64());
            Assert.Equal(row.LicensesSold, item.GetProperty("licensesSold").GetInt64());
            Assert.Equal(row.DeploymentPercent, item.GetProperty("deploymentPercent").GetDouble());
            Assert.Equal("2026-11-01T00:00:00+00:00", item.GetProperty("processedDateTime").GetString());
            Assert.Equal("CustomerLicensesDeploymentInsights", item.GetProperty("attributes").GetProperty("objectType").GetString());
        }
    }

    [Fact]
    public async Task The_seed_customer_has_a_row_per_product_of_its_example_with_the_examples_date()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var body = await http.GetJsonAsync($"/v1/customers/{SimulatorOptions.SeedCustomerId}/analytics/licenses/deployment");

        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            [("OFFICE 365 BUSINESS ESSENTIALS", 1L), ("EXCHANGE ONLINE (PLAN 1)", 5L), ("EXCHANGE ONLINE ARCHIVING FOR EXCHANGE ONLINE", 2L)],
            items.Select(i => (i.GetProperty("productName").GetString(), i.GetProperty("licensesDeployed").GetInt64())));
        Assert.All(items, i => Assert.Equal("2017-03-09T00:00:00+00:00", i.GetProperty("processedDateTime").GetString()));
    }

    [Fact]
    public async Task A_customer_without_licenses_has_an_empty_collection()
    {
        await using var http = await SimulatorHttp.StartAsync();
        var customer = http.Data.Customers.First(c => c.Usage.Count == 0);

        var body = await http.GetJsonAsync($"/v1/customers/{customer.Id}/analytics/licenses/deployment");

        Assert.Equal(0, body.GetProperty("totalCount").GetInt32());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("items").ValueKind);
        Assert.Empty(body.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_unknown_customer_is_a_404_with_code_60003()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var answer = await http.GetAsync($"/v1/customers/{Guid.NewGuid()}/analytics/licenses/deployment");

        Assert.Equal(404, answer.Status);
        Assert.Equal("60003", answer.Json.GetProperty("code").GetString());
    }

    [Fact]
    public async Task It_goes_through_the_pipeline_recorded_and_refused_without_a_token()
    {
        await using var http = await SimulatorHttp.StartAsync();
        http.Client.DefaultRequestHeaders.Authorization = null;

        var answer = await http.GetAsync($"/v1/customers/{SimulatorOptions.SeedCustomerId}/analytics/licenses/deployment");

        Assert.Equal(401, answer.Status);
        Assert.Equal("800001", answer.Json.GetProperty("code").GetString());
        Assert.Equal(401, Assert.Single(http.Simulator.Requests.Snapshot()).StatusCode);
    }
}
