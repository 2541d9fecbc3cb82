using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>GET /v1/customers/{id}/subscriptions and GET .../subscriptions/{id}: the generated subscriptions, in the documented shape.</summary>
public sealed class SubscriptionsTests
{
    private const string AppOnlyToken = "app-only-token";

    private static List<JsonElement> Items(JsonElement body) => [.. body.GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task Each_customers_subscriptions_are_the_generated_ones_with_every_documented_field()
    {
        await using var http = await SimulatorHttp.StartAsync();

        foreach (var customer in http.Data.Customers)
        {
            var body = await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions");

            Assert.Equal(customer.Subscriptions.Count, body.GetProperty("totalCount").GetInt32());
            Assert.Equal("Collection", body.GetProperty("attributes").GetProperty("objectType").GetString());
            var self = body.GetProperty("links").GetProperty("self");
            Assert.Equal(($"/customers/{customer.Id}/subscriptions", "GET", 0), (self.GetProperty("uri").GetString(), self.GetProperty("method").GetString(), self.GetProperty("headers").GetArrayLength()));
            var items = Items(body);
            Assert.Equal(customer.Subscriptions.Count, items.Count);
            foreach (var (item, subscription) in items.Zip(customer.Subscriptions))
            {
                AssertIsTheSubscription(customer.Id, subscription, item);
            }
        }
    }

    [Fact]
    public async Task A_customer_without_licenses_has_an_empty_collection_not_an_error()
    {
        await using var http = await SimulatorHttp.StartAsync();
        var customer = http.Data.Customers.First(c => c.Deployment.Count == 0);

        var body = await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions");

        Assert.Equal(0, body.GetProperty("totalCount").GetInt32());
        Assert.Empty(Items(body));
    }

    [Fact]
    public async Task A_subscription_by_id_is_the_same_object_as_in_the_listing()
    {
        await using var http = await SimulatorHttp.StartAsync();

        foreach (var customer in http.Data.Customers.Where(c => c.Subscriptions.Count > 0).Take(8))
        {
            var listed = Items(await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions"));
            foreach (var (item, subscription) in listed.Zip(customer.Subscriptions))
            {
                var one = await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions/{subscription.Id}");
                Assert.Equal(item.GetRawText(), one.GetRawText());
            }
        }
    }

    [Fact]
    public async Task An_unknown_customer_is_60003_and_an_unknown_subscription_a_404_with_an_error_body()
    {
        await using var http = await SimulatorHttp.StartAsync();
        var customer = http.Data.Customers.First(c => c.Subscriptions.Count > 0);

        var unknownCustomer = await http.GetAsync($"/v1/customers/{Guid.NewGuid()}/subscriptions");
        var unknownCustomerOne = await http.GetAsync($"/v1/customers/{Guid.NewGuid()}/subscriptions/{customer.Subscriptions[0].Id}");
        var unknownSubscription = await http.GetAsync($"/v1/customers/{customer.Id}/subscriptions/{Guid.NewGuid()}");

        Assert.Equal((404, "60003"), (unknownCustomer.Status, unknownCustomer.Json.GetProperty("code").GetString()));
        Assert.Equal((404, "60003"), (unknownCustomerOne.Status, unknownCustomerOne.Json.GetProperty("code").GetString()));
        Assert.Equal(404, unknownSubscription.Status);
        Assert.Equal("1000", unknownSubscription.Json.GetProperty("code").GetString());
    }

    [Fact]
    public async Task App_only_tokens_may_list_subscriptions_but_not_read_license_analytics()
    {
        var options = new SimulatorOptions();
        options.AppOnlyTokens.Add(AppOnlyToken);
        await using var http = await SimulatorHttp.StartAsync(options);
        var customer = http.Data.Customers.First(c => c.Subscriptions.Count > 0);
        http.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AppOnlyToken);

        var list = await http.GetAsync($"/v1/customers/{customer.Id}/subscriptions");
        var one = await http.GetAsync($"/v1/customers/{customer.Id}/subscriptions/{customer.Subscriptions[0].Id}");
        var usage = await http.GetAsync($"/v1/customers/{customer.Id}/analytics/licenses/usage");

        Assert.Equal((200, 200), (list.Status, one.Status));
        Assert.Equal(401, usage.Status);
        Assert.Contains("App-only", usage.Json.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_are_counted_per_route_for_a_request_budget()
    {
        await using var http = await SimulatorHttp.StartAsync(new SimulatorOptions { RecordRequests = false });
        var customers = http.Data.Customers.Where(c => c.Subscriptions.Count > 0).Take(3).ToList();

        foreach (var customer in customers)
        {
            await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions");
            await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions/{customer.Subscriptions[0].Id}/provisioningstatus");
        }

        await http.GetJsonAsync("/v1/products/CFQ7TTC0LF8Q/skus/0001?country=US");
        var counts = await http.GetJsonAsync(PartnerCenterSimulator.RequestCountPath);

        var requests = http.Simulator.Requests;
        Assert.Equal(3, requests.CountFor("/v1/customers/{customerId:guid}/subscriptions"));
        Assert.Equal(3, requests.CountFor("/v1/customers/{customerId:guid}/subscriptions/{subscriptionId:guid}/provisioningstatus"));
        Assert.Equal(1, requests.CountFor("/v1/products/{productId}/skus/{skuId}"));
        Assert.Equal(0, requests.CountFor("/v1/customers/{customerId:guid}/subscriptions/{subscriptionId:guid}"));
        Assert.Equal(7, counts.GetProperty("count").GetInt64());
        Assert.Equal(3, counts.GetProperty("byRoute").GetProperty("/v1/customers/{customerId:guid}/subscriptions").GetInt64());
    }

    // Every field of the documented Subscription resource that the simulator serves, against the generated truth.
    private static void AssertIsTheSubscription(Guid customerId, SimulatedSubscription s, JsonElement item)
    {
        Assert.Equal(s.Id, item.GetProperty("id").GetGuid());
        Assert.Equal(s.OfferId, item.GetProperty("offerId").GetString());
        Assert.Equal(s.OfferName, item.GetProperty("offerName").GetString());
        Assert.Equal(s.FriendlyName, item.GetProperty("friendlyName").GetString());
        Assert.Equal(s.ProductType, item.GetProperty("productType").GetProperty("id").GetString());
        Assert.Equal(s.Quantity, item.GetProperty("quantity").GetInt64());
        Assert.Equal("Licenses", item.GetProperty("unitType").GetString());
        Assert.Equal(s.Status, item.GetProperty("status").GetString());
        Assert.Equal("license", item.GetProperty("billingType").GetString());
        Assert.Equal(s.BillingCycle, item.GetProperty("billingCycle").GetString());
        Assert.Equal(s.TermDuration, item.GetProperty("termDuration").GetString());
        Assert.Equal(s.CreationDate, item.GetProperty("creationDate").GetDateTimeOffset());
        Assert.Equal(s.EffectiveStartDate, item.GetProperty("effectiveStartDate").GetDateTimeOffset());
        Assert.Equal(s.CommitmentEndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z", item.GetProperty("commitmentEndDate").GetString());
        Assert.Equal(s.AutoRenewEnabled, item.GetProperty("autoRenewEnabled").GetBoolean());
        Assert.Equal(s.IsTrial, item.GetProperty("isTrial").GetBoolean());
        Assert.Equal(s.ParentSubscriptionId, item.TryGetProperty("parentSubscriptionId", out var parent) ? parent.GetGuid() : null);
        Assert.Equal(s.PartnerId, item.TryGetProperty("partnerId", out var partner) ? partner.GetString() : null);
        Assert.Equal(s.OrderId, item.GetProperty("orderId").GetGuid());
        Assert.Equal($"/customers/{customerId}/subscriptions/{s.Id}", item.GetProperty("links").GetProperty("self").GetProperty("uri").GetString());
        Assert.Equal("Subscription", item.GetProperty("attributes").GetProperty("objectType").GetString());
        Assert.False(string.IsNullOrEmpty(item.GetProperty("attributes").GetProperty("etag").GetString()));
        if (s.IsLegacy)
        {
            Assert.True(Guid.TryParse(s.OfferId, out _));
            Assert.Equal(s.OfferId, s.OfferId.ToUpperInvariant());
            foreach (var absent in (string[])["commitmentEndDateTime", "cancellationAllowedUntilDate", "refundOptions", "refundableQuantity", "scheduledNextTermInstructions"])
            {
                Assert.False(item.TryGetProperty(absent, out _), absent);
            }

            Assert.Equal($"/offers/{s.OfferId}?country=US", item.GetProperty("links").GetProperty("offer").GetProperty("uri").GetString());
            return;
        }

        Assert.Equal($"{s.CatalogSku!.ProductId}:{s.CatalogSku.SkuId}:{s.CatalogSku.AvailabilityId}", s.OfferId);
        Assert.Equal(s.CommitmentEndDateTime, item.GetProperty("commitmentEndDateTime").GetDateTimeOffset());
        Assert.Equal(s.CancellationAllowedUntil, item.GetProperty("cancellationAllowedUntilDate") is { ValueKind: JsonValueKind.Null } ? null : item.GetProperty("cancellationAllowedUntilDate").GetDateTimeOffset());
        Assert.Equal(
            s.RefundOptions.Select(o => (o.Type, o.ExpiresAt)),
            item.GetProperty("refundOptions").EnumerateArray().Select(o => (o.GetProperty("type").GetString()!, o.GetProperty("expiresAt").GetDateTimeOffset())));
        var refundable = item.GetProperty("refundableQuantity");
        Assert.Equal(s.RefundableQuantity, refundable.GetProperty("totalQuantity").GetInt64());
        Assert.Equal(
            s.RefundableBatches.Select(b => (b.Quantity, b.AllowedUntil)),
            refundable.GetProperty("details").EnumerateArray().Select(d => (d.GetProperty("quantity").GetInt64(), d.GetProperty("allowedUntilDateTime").GetDateTimeOffset())));
        if (s.NextTerm is { } next)
        {
            var instructions = item.GetProperty("scheduledNextTermInstructions");
            var product = instructions.GetProperty("product");
            Assert.Equal(next.Quantity, instructions.GetProperty("quantity").GetInt64());
            Assert.Equal(
                (s.CatalogSku.ProductId, s.CatalogSku.SkuId, s.CatalogSku.AvailabilityId, next.BillingCycle, next.TermDuration),
                (product.GetProperty("productId").GetString(), product.GetProperty("skuId").GetString(), product.GetProperty("availabilityId").GetString(),
                 product.GetProperty("billingCycle").GetString(), product.GetProperty("termDuration").GetString()));
        }
        else
        {
            Assert.False(item.TryGetProperty("scheduledNextTermInstructions", out _));
        }
    }
}
