using System.Text.Json;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>GET /v1/customers/{id}/subscribedskus.</summary>
public sealed class SubscribedSkusTests
{
    private static SimulatedCustomer WithGroup2(SimulatorHttp http) =>
        http.Data.Customers.First(c => c.SubscribedSkus.Any(s => s.LicenseGroupId == "Group2"));

    private static List<JsonElement> Items(JsonElement body) => [.. body.GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task Each_sku_has_the_documented_fields()
    {
        await using var http = await SimulatorHttp.StartAsync();
        var customer = http.Data.Customers.Skip(1).First(c => c.SubscribedSkus.Count > 1);

        var body = await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscribedskus");

        Assert.Equal("Collection", body.GetProperty("attributes").GetProperty("objectType").GetString());
        var expected = customer.SubscribedSkus.Where(s => s.LicenseGroupId == "Group1").ToList();
        Assert.Equal(expected.Count, body.GetProperty("totalCount").GetInt32());
        foreach (var (item, sku) in Items(body).Zip(expected, (i, s) => (i, s)))
        {
            Assert.Equal(
                ["availableUnits", "activeUnits", "consumedUnits", "suspendedUnits", "totalUnits", "warningUnits", "productSku", "servicePlans", "capabilityStatus", "attributes"],
                item.EnumerateObject().Select(p => p.Name));
            Assert.Equal(
                (sku.AvailableUnits, sku.ActiveUnits, sku.ConsumedUnits, 0L, sku.TotalUnits, 0L),
                (item.GetProperty("availableUnits").GetInt64(), item.GetProperty("activeUnits").GetInt64(), item.GetProperty("consumedUnits").GetInt64(),
                 item.GetProperty("suspendedUnits").GetInt64(), item.GetProperty("totalUnits").GetInt64(), item.GetProperty("warningUnits").GetInt64()));
            var product = item.GetProperty("productSku");
            Assert.Equal(sku.SkuId, product.GetProperty("id").GetGuid());
            Assert.Equal(sku.ProductName, product.GetProperty("name").GetString());
            Assert.Equal(sku.SkuPartNumber, product.GetProperty("skuPartNumber").GetString());
            Assert.Equal("User", product.GetProperty("targetType").GetString());
            Assert.Equal("Group1", product.GetProperty("licenseGroupId").GetString());
            Assert.Equal(
                sku.ServicePlans.Select(p => (p.DisplayName, p.ServiceName, p.Id, "Success", "User")),
                item.GetProperty("servicePlans").EnumerateArray().Select(p => (
                    p.GetProperty("displayName").GetString()!, p.GetProperty("serviceName").GetString()!, p.GetProperty("id").GetGuid(),
                    p.GetProperty("capabilityStatus").GetString()!, p.GetProperty("targetType").GetString()!)));
            Assert.Equal("Enabled", item.GetProperty("capabilityStatus").GetString());
            Assert.Equal("SubscribedSku", item.GetProperty("attributes").GetProperty("objectType").GetString());
        }
    }

    [Fact]
    public async Task Units_agree_with_the_customers_deployment_total_sold_and_consumed_deployed()
    {
        await using var http = await SimulatorHttp.StartAsync();

        foreach (var customer in http.Data.Customers)
        {
            var skus = Items(await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscribedskus"));
            var deployment = Items(await http.GetJsonAsync($"/v1/customers/{customer.Id}/analytics/licenses/deployment"));

            Assert.Equal(
                deployment.Select(d => (d.GetProperty("productName").GetString(), d.GetProperty("licensesSold").GetInt64(), d.GetProperty("licensesDeployed").GetInt64())),
                skus.Select(s => (s.GetProperty("productSku").GetProperty("name").GetString(), s.GetProperty("totalUnits").GetInt64(), s.GetProperty("consumedUnits").GetInt64())));
            Assert.All(skus, s => Assert.Equal(
                s.GetProperty("totalUnits").GetInt64() - s.GetProperty("consumedUnits").GetInt64(), s.GetProperty("availableUnits").GetInt64()));
        }
    }

    [Theory]
    [InlineData("", new[] { "Group1" })]
    [InlineData("?licenseGroupIds=Group1", new[] { "Group1" })]
    [InlineData("?licenseGroupIds=Group2", new[] { "Group2" })]
    [InlineData("?licenseGroupIds=Group1&licenseGroupIds=Group2", new[] { "Group1", "Group2" })]
    [InlineData("?licenseGroupIds=group2", new[] { "Group2" })]
    public async Task Group1_is_the_default_and_licenseGroupIds_chooses_the_groups(string query, string[] groups)
    {
        await using var http = await SimulatorHttp.StartAsync();
        var customer = WithGroup2(http);

        var body = await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscribedskus{query}");

        var expected = customer.SubscribedSkus.Where(s => groups.Contains(s.LicenseGroupId)).Select(s => s.SkuId).ToList();
        Assert.Equal(expected, Items(body).Select(i => i.GetProperty("productSku").GetProperty("id").GetGuid()));
        Assert.Equal(expected.Count, body.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task The_Group2_sku_is_Minecraft_Education()
    {
        await using var http = await SimulatorHttp.StartAsync();
        var customer = WithGroup2(http);

        var item = Assert.Single(Items(await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscribedskus?licenseGroupIds=Group2")));

        Assert.Equal("MINECRAFT EDUCATION STUDENT", item.GetProperty("productSku").GetProperty("name").GetString());
        Assert.Equal("Group2", item.GetProperty("productSku").GetProperty("licenseGroupId").GetString());
    }

    [Theory]
    [InlineData("?licenseGroupIds=Group3")]
    [InlineData("?licenseGroupIds=")]
    [InlineData("?licenseGroupIds=Group1&licenseGroupIds=Group1,Group2")]
    public async Task An_unknown_license_group_is_a_400_with_an_error_body(string query)
    {
        await using var http = await SimulatorHttp.StartAsync();

        var answer = await http.GetAsync($"/v1/customers/{SimulatorOptions.SeedCustomerId}/subscribedskus{query}");

        Assert.Equal(400, answer.Status);
        Assert.Equal("400", answer.Json.GetProperty("code").GetString());
        Assert.Contains("licenseGroupIds", answer.Json.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_customer_is_a_404_with_code_60003()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var answer = await http.GetAsync($"/v1/customers/{Guid.NewGuid()}/subscribedskus");

        Assert.Equal(404, answer.Status);
        Assert.Equal("60003", answer.Json.GetProperty("code").GetString());
    }
}
