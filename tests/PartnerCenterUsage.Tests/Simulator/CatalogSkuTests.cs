using System.Net.Http.Headers;
using System.Text.Json;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>GET /v1/products/{productId}/skus/{skuId}?country=..: the catalog SKU whose provisioningId names the Entra SKU.</summary>
public sealed class CatalogSkuTests
{
    [Fact]
    public async Task A_sku_has_the_documented_fields_and_its_provisioning_id_in_lower_case()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var sku = await http.GetJsonAsync("/v1/products/CFQ7TTC0LF8Q/skus/0001?country=US");

        Assert.Equal(("0001", "CFQ7TTC0LF8Q", "Office 365 E3"), (sku.GetProperty("id").GetString(), sku.GetProperty("productId").GetString(), sku.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(sku.GetProperty("description").GetString()));
        Assert.Equal(1, sku.GetProperty("minimumQuantity").GetInt64());
        Assert.True(sku.GetProperty("maximumQuantity").GetInt64() > 1);
        Assert.False(sku.GetProperty("isTrial").GetBoolean());
        Assert.Contains("annual", sku.GetProperty("supportedBillingCycles").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(JsonValueKind.Array, sku.GetProperty("purchasePrerequisites").ValueKind);
        var attributes = sku.GetProperty("dynamicAttributes");
        Assert.Equal("6fd2c87f-b296-42f0-b197-1e91e994b900", attributes.GetProperty("provisioningId").GetString());
        Assert.False(attributes.GetProperty("isAddon").GetBoolean());
        Assert.Equal("/products/CFQ7TTC0LF8Q/skus/0001?country=US", sku.GetProperty("links").GetProperty("self").GetProperty("uri").GetString());
        Assert.Equal("Sku", sku.GetProperty("attributes").GetProperty("objectType").GetString());
    }

    [Fact]
    public async Task Every_subscriptions_sku_is_in_the_catalog_with_the_generated_provisioning_ids()
    {
        await using var http = await SimulatorHttp.StartAsync();

        foreach (var sku in http.Data.Customers.SelectMany(c => c.Subscriptions).Select(s => s.CatalogSku).OfType<SimulatedCatalogSku>().Distinct())
        {
            var body = await http.GetJsonAsync($"/v1/products/{sku.ProductId}/skus/{sku.SkuId}?country=DE");

            var attributes = body.GetProperty("dynamicAttributes");
            var ids = attributes.TryGetProperty("provisioningId", out var id) ? id.GetString()!.Split(',').Select(Guid.Parse).ToList() : [];
            Assert.Equal(sku.ProvisioningIds, ids);
            Assert.Equal(sku.IsAddon, attributes.GetProperty("isAddon").GetBoolean());
            Assert.Equal(sku.Title, body.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task The_bundle_names_two_Entra_skus_comma_separated_and_one_sku_has_no_provisioning_id()
    {
        await using var http = await SimulatorHttp.StartAsync();
        var bundle = SimulatorData.CatalogSkus.Single(s => s.ProvisioningIds.Count == 2);
        var without = SimulatorData.CatalogSkus.Single(s => s.ProvisioningIds.Count == 0);

        var bundled = await http.GetJsonAsync($"/v1/products/{bundle.ProductId}/skus/{bundle.SkuId}?country=US");
        var missing = await http.GetJsonAsync($"/v1/products/{without.ProductId}/skus/{without.SkuId}?country=US");

        Assert.Equal(
            "6fd2c87f-b296-42f0-b197-1e91e994b900,ee02fd1b-340e-4a4b-b355-4a514e4c8943",
            bundled.GetProperty("dynamicAttributes").GetProperty("provisioningId").GetString());
        Assert.False(missing.GetProperty("dynamicAttributes").TryGetProperty("provisioningId", out _));
    }

    [Fact]
    public async Task The_add_on_names_its_prerequisite_skus()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var addOn = await http.GetJsonAsync("/v1/products/CFQ7TTC0LH0R/skus/0001?country=US");

        Assert.True(addOn.GetProperty("dynamicAttributes").GetProperty("isAddon").GetBoolean());
        Assert.Contains("CFQ7TTC0LH16:0001", addOn.GetProperty("dynamicAttributes").GetProperty("prerequisiteSkus").EnumerateArray().Select(p => p.GetString()));
    }

    [Theory]
    [InlineData("/v1/products/CFQ7TTC0LF8Q/skus/0001", 400, "400")]
    [InlineData("/v1/products/CFQ7TTC0LF8Q/skus/0001?country=", 400, "400")]
    [InlineData("/v1/products/CFQ7TTC0LF8Q/skus/0009?country=US", 404, "1000")]
    [InlineData("/v1/products/NOSUCHPRODUC/skus/0001?country=US", 404, "400013")]
    public async Task A_missing_country_is_a_400_and_an_unknown_sku_or_product_a_404_with_an_error_body(string path, int status, string code)
    {
        await using var http = await SimulatorHttp.StartAsync();

        var answer = await http.GetAsync(path);

        Assert.Equal((status, code), (answer.Status, answer.Json.GetProperty("code").GetString()));
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("description").GetString()));
    }

    [Fact]
    public async Task Ids_are_matched_case_insensitively()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var sku = await http.GetJsonAsync("/v1/products/cfq7ttc0lf8q/skus/0001?country=us");

        Assert.Equal("CFQ7TTC0LF8Q", sku.GetProperty("productId").GetString());
    }

    [Fact]
    public async Task App_only_tokens_are_answered()
    {
        var options = new SimulatorOptions();
        options.AppOnlyTokens.Add("app-only-token");
        await using var http = await SimulatorHttp.StartAsync(options);
        http.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "app-only-token");

        var answer = await http.GetAsync("/v1/products/CFQ7TTC0LF8Q/skus/0001?country=US");

        Assert.Equal(200, answer.Status);
    }
}
