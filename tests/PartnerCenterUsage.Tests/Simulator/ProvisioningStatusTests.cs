using System.Globalization;
using System.Net.Http.Headers;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>GET /v1/customers/{id}/subscriptions/{id}/provisioningstatus: the Entra SKU a subscription provisions (App+User only).</summary>
public sealed class ProvisioningStatusTests
{
    [Fact]
    public async Task Each_subscription_tells_its_Entra_sku_in_upper_case_its_quantity_and_end()
    {
        await using var http = await SimulatorHttp.StartAsync();

        foreach (var customer in http.Data.Customers)
        {
            foreach (var subscription in customer.Subscriptions)
            {
                var status = await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions/{subscription.Id}/provisioningstatus");

                Assert.Equal(
                    subscription.ProvisioningStatusHasSkuId ? subscription.EntraSkuId.ToString("D").ToUpperInvariant() : null,
                    status.TryGetProperty("skuId", out var skuId) ? skuId.GetString() : null);
                Assert.Equal("success", status.GetProperty("status").GetString());
                Assert.Equal(subscription.Quantity, status.GetProperty("quantity").GetInt64());
                Assert.Equal(subscription.CommitmentEndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z", status.GetProperty("endDate").GetString());
                Assert.Equal("SubscriptionProvisioningStatus", status.GetProperty("attributes").GetProperty("objectType").GetString());
            }
        }
    }

    [Fact]
    public async Task One_legacy_subscriptions_status_has_no_sku_id()
    {
        await using var http = await SimulatorHttp.StartAsync();
        var (customer, subscription) = http.Data.Customers.SelectMany(c => c.Subscriptions.Select(s => (c, s))).Single(x => !x.s.ProvisioningStatusHasSkuId);

        var status = await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions/{subscription.Id}/provisioningstatus");

        Assert.True(subscription.IsLegacy);
        Assert.False(status.TryGetProperty("skuId", out _));
    }

    [Fact]
    public async Task The_bundle_and_the_sku_without_provisioning_id_tell_what_they_carry()
    {
        await using var http = await SimulatorHttp.StartAsync();
        var unclear = http.Data.Customers.SelectMany(c => c.Subscriptions.Select(s => (c, s))).Where(x => x.s.CatalogSku is { ProvisioningIds.Count: not 1 }).ToList();

        Assert.NotEmpty(unclear);
        foreach (var (customer, subscription) in unclear)
        {
            var status = await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions/{subscription.Id}/provisioningstatus");
            Assert.Equal(subscription.EntraSkuId, status.GetProperty("skuId").GetGuid());
        }
    }

    [Fact]
    public async Task App_only_tokens_are_refused_as_for_the_license_analytics()
    {
        var options = new SimulatorOptions();
        options.AppOnlyTokens.Add("app-only-token");
        await using var http = await SimulatorHttp.StartAsync(options);
        var customer = http.Data.Customers.First(c => c.Subscriptions.Count > 0);
        http.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "app-only-token");

        var answer = await http.GetAsync($"/v1/customers/{customer.Id}/subscriptions/{customer.Subscriptions[0].Id}/provisioningstatus");

        Assert.Equal(401, answer.Status);
        Assert.Equal("400", answer.Json.GetProperty("code").GetString());
        Assert.Contains("App+User", answer.Json.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_subscription_or_customer_is_a_404()
    {
        await using var http = await SimulatorHttp.StartAsync();
        var customer = http.Data.Customers.First(c => c.Subscriptions.Count > 0);

        var subscription = await http.GetAsync($"/v1/customers/{customer.Id}/subscriptions/{Guid.NewGuid()}/provisioningstatus");
        var other = await http.GetAsync($"/v1/customers/{Guid.NewGuid()}/subscriptions/{customer.Subscriptions[0].Id}/provisioningstatus");

        Assert.Equal((404, "1000"), (subscription.Status, subscription.Json.GetProperty("code").GetString()));
        Assert.Equal((404, "60003"), (other.Status, other.Json.GetProperty("code").GetString()));
    }
}
