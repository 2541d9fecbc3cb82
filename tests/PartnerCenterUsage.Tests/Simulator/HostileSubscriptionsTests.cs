using System.Text.Json;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>SimulatorOptions.HostileSubscriptions: one subscription body of some customers spoilt, each in its own way.</summary>
public sealed class HostileSubscriptionsTests
{
    private static readonly string[] DateFields = ["creationDate", "effectiveStartDate", "commitmentEndDate"];

    private static Task<SimulatorHttp> StartAsync() => SimulatorHttp.StartAsync(new SimulatorOptions { HostileSubscriptions = true });

    private static List<JsonElement> Items(JsonElement body) => [.. body.GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task Every_quirk_is_carried_by_some_customer_and_the_documentations_customer_by_none()
    {
        await using var http = await StartAsync();

        Assert.Superset(Enum.GetValues<SubscriptionQuirk>().ToHashSet(), http.Data.Customers.Select(c => c.SubscriptionQuirk).OfType<SubscriptionQuirk>().ToHashSet());
        Assert.Null(http.Data.Find(SimulatorOptions.SeedCustomerId)!.SubscriptionQuirk);
        Assert.All(http.Data.Customers.Where(c => c.SubscriptionQuirk is not null), c => Assert.NotEmpty(c.Subscriptions));
    }

    [Fact]
    public async Task Without_the_option_no_customer_has_a_quirk()
    {
        await using var http = await SimulatorHttp.StartAsync();

        Assert.All(http.Data.Customers, c => Assert.Null(c.SubscriptionQuirk));
    }

    [Fact]
    public async Task The_quirks_leave_the_generated_subscriptions_as_they_were()
    {
        await using var hostile = await StartAsync();
        var plain = new SimulatorData(25, 20170309, hostile.Data.SubscriptionsAsOf);

        Assert.Equal(
            plain.Customers.SelectMany(c => c.Subscriptions).Select(s => (s.Id, s.Quantity, s.Status, s.OfferId)),
            hostile.Data.Customers.SelectMany(c => c.Subscriptions).Select(s => (s.Id, s.Quantity, s.Status, s.OfferId)));
    }

    [Theory]
    [InlineData(SubscriptionQuirk.NullOptionalFields)]
    [InlineData(SubscriptionQuirk.QuantityAsString)]
    [InlineData(SubscriptionQuirk.QuantityFractional)]
    [InlineData(SubscriptionQuirk.AutoRenewAsString)]
    [InlineData(SubscriptionQuirk.IsTrialAsNumber)]
    [InlineData(SubscriptionQuirk.DatesWithoutOffset)]
    [InlineData(SubscriptionQuirk.DateOnlyStrings)]
    [InlineData(SubscriptionQuirk.UnreadableDates)]
    [InlineData(SubscriptionQuirk.UnknownStatus)]
    [InlineData(SubscriptionQuirk.UnknownBillingCycle)]
    [InlineData(SubscriptionQuirk.MissingId)]
    public async Task The_first_subscription_is_spoilt_in_the_listing_and_by_id_and_the_others_are_not(SubscriptionQuirk quirk)
    {
        await using var http = await StartAsync();
        var customer = http.Data.Customers.First(c => c.SubscriptionQuirk == quirk);
        var truth = customer.Subscriptions[0];

        var items = Items(await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions"));
        var byId = await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions/{truth.Id}");

        Assert.Equal(items[0].GetRawText(), byId.GetRawText());
        Assert.All(items.Skip(1).Zip(customer.Subscriptions.Skip(1)), x => Assert.Equal(x.Second.Id, x.First.GetProperty("id").GetGuid()));
        Assert.All(items.Skip(1), i => Assert.Equal(JsonValueKind.Number, i.GetProperty("quantity").ValueKind));
        var item = items[0];
        switch (quirk)
        {
            case SubscriptionQuirk.NullOptionalFields:
                Assert.Equal(truth.Id, item.GetProperty("id").GetGuid());
                Assert.All(item.EnumerateObject().Where(p => p.Name != "id"), p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind));
                Assert.Contains(item.EnumerateObject(), p => p.Name == "quantity");
                break;
            case SubscriptionQuirk.QuantityAsString:
                Assert.Equal(truth.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture), item.GetProperty("quantity").GetString());
                break;
            case SubscriptionQuirk.QuantityFractional:
                Assert.Equal(truth.Quantity + 0.5, item.GetProperty("quantity").GetDouble());
                break;
            case SubscriptionQuirk.AutoRenewAsString:
                Assert.Equal(truth.AutoRenewEnabled ? "true" : "false", item.GetProperty("autoRenewEnabled").GetString());
                break;
            case SubscriptionQuirk.IsTrialAsNumber:
                Assert.Equal(truth.IsTrial ? 1 : 0, item.GetProperty("isTrial").GetInt32());
                break;
            case SubscriptionQuirk.DatesWithoutOffset:
                Assert.All(DateFields, f => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", item.GetProperty(f).GetString()));
                break;
            case SubscriptionQuirk.DateOnlyStrings:
                Assert.All(DateFields, f => Assert.Matches(@"^\d{4}-\d\d-\d\d$", item.GetProperty(f).GetString()));
                break;
            case SubscriptionQuirk.UnreadableDates:
                Assert.All(DateFields, f => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d: \d\d: \d\dZ$", item.GetProperty(f).GetString()));

                // Not ISO 8601: a strict reader refuses it (DateTimeOffset.Parse would not: it skips the spaces).
                Assert.All(DateFields, f => Assert.False(item.GetProperty(f).TryGetDateTimeOffset(out _)));
                break;
            case SubscriptionQuirk.UnknownStatus:
                Assert.Equal("migrating", item.GetProperty("status").GetString());
                break;
            case SubscriptionQuirk.UnknownBillingCycle:
                Assert.Equal("fortnightly", item.GetProperty("billingCycle").GetString());
                break;
            case SubscriptionQuirk.MissingId:
                Assert.False(item.TryGetProperty("id", out _));
                Assert.Equal(truth.OfferId, item.GetProperty("offerId").GetString());
                break;
        }
    }

    [Fact]
    public async Task An_item_that_is_not_an_object_comes_first_and_is_counted()
    {
        await using var http = await StartAsync();
        var customer = http.Data.Customers.First(c => c.SubscriptionQuirk == SubscriptionQuirk.ItemNotAnObject);

        var body = await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions");
        var byId = await http.GetJsonAsync($"/v1/customers/{customer.Id}/subscriptions/{customer.Subscriptions[0].Id}");

        var items = Items(body);
        Assert.Equal(JsonValueKind.String, items[0].ValueKind);
        Assert.Equal(customer.Subscriptions.Select(s => s.Id), items.Skip(1).Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(items.Count, body.GetProperty("totalCount").GetInt32());
        Assert.Equal(customer.Subscriptions[0].Id, byId.GetProperty("id").GetGuid());
    }
}
