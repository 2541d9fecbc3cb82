using System.Management.Automation;
using System.Text.RegularExpressions;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Get-PCCustomerSubscription against the simulator: every documented field as the simulator holds it, the filters on
/// the scenario's clock, the spoilt bodies a real service may send, the view. Binding, order, concurrency, failures and
/// stopping are the fan-out's, specified once in <see cref="PerCustomerCmdletTests"/>; Export-Csv, which the hosted
/// engine lacks, is tested in tests/Pester/Shell.Tests.ps1.
/// </summary>
public sealed class GetPCCustomerSubscriptionTests
{
    private const string OutputTypeName = "PartnerCenterUsage.Models.CustomerSubscription";

    private static SimulatorOptions Options => new() { CustomerCount = 25 };

    private static List<SimulatedCustomer> WithSubscriptions(ModuleScenario scenario) =>
        [.. scenario.Simulator.Data.Customers.Where(c => c.Subscriptions.Count > 0)];

    private static Guid[] Ids(IEnumerable<SimulatedCustomer> customers) => [.. customers.Select(c => c.Id)];

    /// <summary>The moment a simulated subscription's term ends: the midnight after New Commerce's last day, a legacy end as it is.</summary>
    private static DateTimeOffset TermEnd(SimulatedSubscription s) =>
        new DateTimeOffset(s.CommitmentEndDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(s.IsLegacy ? 0 : 1);

    private static void AssertRowIs(SimulatedCustomer customer, SimulatedSubscription s, PSObject row)
    {
        Assert.Equal(OutputTypeName, row.TypeName());
        Assert.Equal(customer.Id, row.Prop<Guid>("CustomerId"));
        Assert.Equal(s.Id.ToString(), row.Prop("SubscriptionId"));
        Assert.Equal(s.OfferId, row.Prop("OfferId"));
        Assert.Equal(s.OfferName, row.Prop("OfferName"));
        Assert.Equal(s.FriendlyName, row.Prop("FriendlyName"));
        Assert.Equal(s.Quantity, row.Prop<long>("Quantity"));
        Assert.Equal("Licenses", row.Prop("UnitType"));
        Assert.Equal(s.Status, row.Prop("Status"));
        Assert.Equal(s.ProductType, row.Prop("ProductType"));
        Assert.Equal(!s.IsLegacy, row.Prop<bool>("IsNewCommerce"));
        Assert.Equal(s.BillingCycle, row.Prop("BillingCycle"));
        Assert.Equal(s.TermDuration, row.Prop("TermDuration"));
        Assert.Equal("license", row.Prop("BillingType"));
        Assert.Equal("subscription", row.Prop("ContractType"));
        Assert.Equal(s.OrderId.ToString(), row.Prop("OrderId"));
        Assert.Equal(s.CreationDate, row.Prop<DateTimeOffset>("CreationDate"));
        Assert.Equal(s.EffectiveStartDate, row.Prop<DateTimeOffset>("EffectiveStartDate"));
        Assert.Equal(new DateTimeOffset(s.CommitmentEndDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), row.Prop<DateTimeOffset>("CommitmentEndDate"));
        Assert.Equal(s.CommitmentEndDateTime, (DateTimeOffset?)row.Prop("CommitmentEndDateTime"));
        Assert.Equal(TermEnd(s), row.Prop<DateTimeOffset>("TermEnd"));
        Assert.Equal(s.CancellationAllowedUntil, (DateTimeOffset?)row.Prop("CancellationAllowedUntil"));
        Assert.Equal(s.AutoRenewEnabled, row.Prop<bool>("AutoRenewEnabled"));
        Assert.Equal(s.IsTrial, row.Prop<bool>("IsTrial"));
        Assert.Equal(s.ParentSubscriptionId?.ToString(), row.Prop("ParentSubscriptionId"));
        Assert.Equal(s.PartnerId, row.Prop("PartnerId"));
        Assert.Equal(s.CatalogSku?.ProductId, row.Prop("ProductId"));
        Assert.Equal(s.CatalogSku?.SkuId, row.Prop("SkuId"));
        Assert.Equal(s.CatalogSku?.AvailabilityId, row.Prop("AvailabilityId"));

        Assert.Equal(s.RefundOptions.Where(o => o.Type == "Full").Select(o => (DateTimeOffset?)o.ExpiresAt).SingleOrDefault(), (DateTimeOffset?)row.Prop("FullRefundUntil"));
        Assert.Equal(s.RefundOptions.Where(o => o.Type == "Partial").Select(o => (DateTimeOffset?)o.ExpiresAt).SingleOrDefault(), (DateTimeOffset?)row.Prop("PartialRefundUntil"));
        Assert.Equal(s.RefundableQuantity, (long?)row.Prop("RefundableQuantity"));
        var seats = ((System.Collections.IEnumerable)PSObject.AsPSObject(row.Prop("RefundableSeats")!).BaseObject).Cast<object>().Select(PSObject.AsPSObject).ToList();
        Assert.Equal(s.RefundableBatches.Select(b => (b.Quantity, b.AllowedUntil)), seats.Select(b => (b.Prop<long>("Quantity"), b.Prop<DateTimeOffset>("AllowedUntil"))));
        Assert.Equal(s.RefundableBatches.Count == 0 ? null : s.RefundableBatches.Max(b => b.AllowedUntil), (DateTimeOffset?)row.Prop("RefundableUntil"));

        Assert.Equal(s.NextTerm?.Quantity, (long?)row.Prop("NextTermQuantity"));
        Assert.Equal(s.NextTerm?.BillingCycle, row.Prop("NextTermBillingCycle"));
        Assert.Equal(s.NextTerm?.TermDuration, row.Prop("NextTermDuration"));
        Assert.Equal(s.NextTerm is null ? null : s.OfferId, row.Prop("NextTermOfferId"));
        Assert.Equal(s.NextTerm is { } next ? s.Quantity - next.Quantity : null, (long?)row.Prop("ScheduledReduction"));
    }

    [Fact]
    public async Task Every_documented_field_comes_with_the_simulator_s_values_in_the_simulator_s_order()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var customers = WithSubscriptions(scenario);

        var result = scenario.Run("$args[0] | Get-PCCustomerSubscription -IncludeDeleted", Ids(customers));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var expected = customers.SelectMany(c => c.Subscriptions.Select(s => (Customer: c, Subscription: s))).ToList();
        Assert.Equal(expected.Count, result.Output.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            AssertRowIs(expected[i].Customer, expected[i].Subscription, result.Output[i]);
            Assert.Null(result.Output[i].Prop("CustomerName")); // an id alone names no customer
        }

        // The data holds every case the fields describe, so each was compared at least once.
        var all = expected.Select(e => e.Subscription).ToList();
        Assert.Contains(all, s => s.IsLegacy);
        Assert.Contains(all, s => s.IsTrial);
        Assert.Contains(all, s => s.NextTerm is not null);
        Assert.Contains(all, s => s.RefundableBatches.Count > 1);
        Assert.Contains(all, s => s.RefundOptions.Any(o => o.Type == "Partial"));
        Assert.Contains(all, s => s.ParentSubscriptionId is not null);
        Assert.Equal(["active", "deleted", "disabled", "expired", "suspended"], all.Select(s => s.Status).Distinct().Order());
        Assert.All(scenario.Simulator.Requests.Snapshot(), r => Assert.Matches("^/v1/customers/[0-9a-f-]{36}/subscriptions$", r.Path));
    }

    [Fact]
    public async Task Deleted_subscriptions_are_left_out_unless_IncludeDeleted_or_Status_deleted_asks_for_them()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var customers = WithSubscriptions(scenario);
        var all = customers.SelectMany(c => c.Subscriptions).ToList();
        Assert.Contains(all, s => s.Status == "deleted");

        var byDefault = scenario.Run("$args[0] | Get-PCCustomerSubscription", Ids(customers));
        var included = scenario.Run("$args[0] | Get-PCCustomerSubscription -IncludeDeleted", Ids(customers));
        var deletedOnly = scenario.Run("$args[0] | Get-PCCustomerSubscription -Status Deleted", Ids(customers));
        var activeAndDeleted = scenario.Run("$args[0] | Get-PCCustomerSubscription -Status active -IncludeDeleted", Ids(customers));

        Assert.Equal(all.Where(s => s.Status != "deleted").Select(s => s.Id.ToString()), byDefault.Output.Select(r => r.Prop("SubscriptionId")));
        Assert.Equal(all.Select(s => s.Id.ToString()), included.Output.Select(r => r.Prop("SubscriptionId")));
        Assert.Equal(all.Where(s => s.Status == "deleted").Select(s => s.Id.ToString()), deletedOnly.Output.Select(r => r.Prop("SubscriptionId")));
        Assert.Equal(all.Where(s => s.Status is "active" or "deleted").Select(s => s.Id.ToString()), activeAndDeleted.Output.Select(r => r.Prop("SubscriptionId")));
    }

    [Fact]
    public async Task The_filters_keep_what_they_name_measured_from_the_connection_s_clock()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var customers = WithSubscriptions(scenario);
        var all = customers.SelectMany(c => c.Subscriptions).ToList();
        var now = scenario.Clock.GetUtcNow();
        string[] Expected(Func<SimulatedSubscription, bool> keep) => [.. all.Where(keep).Select(s => s.Id.ToString())];
        string[] Run(string parameters) =>
            [.. scenario.Run("$args[0] | Get-PCCustomerSubscription " + parameters, Ids(customers)).Output.Select(r => (string)r.Prop("SubscriptionId")!)];

        Assert.Equal(Expected(s => s.Status is "suspended" or "expired"), Run("-Status suspended, EXPIRED"));
        Assert.Equal(Expected(s => s.Status != "deleted" && s.AutoRenewEnabled), Run("-AutoRenewOnly"));
        Assert.Equal(Expected(s => s.Status != "deleted" && !s.IsTrial), Run("-ExcludeTrial"));
        var renewing = Expected(s => s.Status == "active" && s.AutoRenewEnabled && TermEnd(s) >= now && TermEnd(s) <= now.AddDays(30));
        Assert.NotEmpty(renewing);
        Assert.Equal(renewing, Run("-Status active -RenewingWithinDays 30 -AutoRenewOnly"));

        // Later on the same clock, other terms are within the window: now is the connection's, not the machine's.
        scenario.Clock.Advance(TimeSpan.FromDays(45));
        var later = scenario.Clock.GetUtcNow();
        var renewingLater = Expected(s => s.Status == "active" && s.AutoRenewEnabled && TermEnd(s) >= later && TermEnd(s) <= later.AddDays(30));
        Assert.NotEqual(renewing, renewingLater);
        Assert.Equal(renewingLater, Run("-Status active -RenewingWithinDays 30 -AutoRenewOnly"));
    }

    [Theory]
    [InlineData("-Status Migrating")]
    [InlineData("-RenewingWithinDays -1")]
    [InlineData("-RenewingWithinDays 3651")]
    public async Task A_filter_value_out_of_its_set_or_range_is_refused_before_any_request(string parameters)
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);

        var result = scenario.Run("Get-PCCustomerSubscription -CustomerId $args[0] " + parameters, SimulatorOptions.SeedCustomerId);

        Assert.StartsWith("ParameterArgumentValidationError,", Assert.Single(result.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(scenario.Simulator.Requests.Snapshot());
    }

    [Fact]
    public async Task Status_offers_the_statuses_the_filter_knows()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);

        var set = (CommandInfo)scenario.Run("Get-Command Get-PCCustomerSubscription").Objects.Single();
        var validate = set.Parameters["Status"].Attributes.OfType<ValidateSetAttribute>().Single();

        Assert.Equal<string>(PartnerCenterUsage.Engine.Subscriptions.SubscriptionFilter.DocumentedStatuses, validate.ValidValues);
    }

    [Fact]
    public async Task Piped_from_Get_PCCustomer_each_subscription_carries_its_customer_s_name()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);

        var result = scenario.Run("Get-PCCustomer | Get-PCCustomerSubscription");

        Assert.Empty(result.Errors);
        var names = scenario.Simulator.Data.Customers.ToDictionary(c => c.Id, c => c.CompanyName);
        Assert.Equal(scenario.Simulator.Data.Customers.Sum(c => c.Subscriptions.Count(s => s.Status != "deleted")), result.Output.Count);
        Assert.All(result.Output, r => Assert.Equal(names[r.Prop<Guid>("CustomerId")], r.Prop("CustomerName")));
    }

    [Fact]
    public async Task An_App_only_connection_lists_subscriptions()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var appOnly = TestTokens.Jwt(new Dictionary<string, object>
        {
            ["aud"] = "https://api.partnercenter.microsoft.com",
            ["tid"] = Guid.NewGuid().ToString(),
            ["appid"] = Guid.NewGuid().ToString(),
            ["idtyp"] = "app",
            ["roles"] = new[] { "Partner.Read" },
            ["exp"] = scenario.Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(),
        });
        scenario.Simulator.Options.AppOnlyTokens.Add(appOnly);
        scenario.Connect(token: appOnly);
        var customer = WithSubscriptions(scenario)[0];

        var result = scenario.Run("Get-PCCustomerSubscription -CustomerId $args[0] -IncludeDeleted", customer.Id);

        Assert.Empty(result.Errors);
        Assert.Equal(customer.Subscriptions.Select(s => s.Id.ToString()), result.Output.Select(r => r.Prop("SubscriptionId")));
    }

    [Fact]
    public async Task Spoilt_bodies_give_unknown_values_or_one_clear_error_and_every_other_customer_whole()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 40, HostileSubscriptions = true });
        var customers = WithSubscriptions(scenario);
        // The first customer of each quirk (the quirks come round again from the thirteenth).
        var quirky = customers.Where(c => c.SubscriptionQuirk is not null).GroupBy(c => c.SubscriptionQuirk!.Value).ToDictionary(g => g.Key, g => g.First());
        Assert.Equal(Enum.GetValues<SubscriptionQuirk>().Order(), quirky.Keys.Order());
        var notObjects = customers.Where(c => c.SubscriptionQuirk == SubscriptionQuirk.ItemNotAnObject).Select(c => (object)c.Id).ToList();

        var result = scenario.Run("$args[0] | Get-PCCustomerSubscription -IncludeDeleted", Ids(customers));

        // A collection with an item that is not an object is not read: one InvalidResponse each, for that customer only.
        Assert.Equal(notObjects, result.Errors.Select(e => e.TargetObject));
        Assert.All(result.Errors, e => Assert.StartsWith("InvalidResponse,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        var rows = result.Output.GroupBy(r => r.Prop<Guid>("CustomerId")).ToDictionary(g => g.Key, g => g.ToList());
        Assert.DoesNotContain(quirky[SubscriptionQuirk.ItemNotAnObject].Id, rows.Keys);

        // Every other customer: every subscription listed, the unspoilt ones exactly as the simulator holds them.
        foreach (var customer in customers.Where(c => c.SubscriptionQuirk != SubscriptionQuirk.ItemNotAnObject))
        {
            Assert.Equal(customer.Subscriptions.Count, rows[customer.Id].Count);
            for (var i = customer.SubscriptionQuirk is null ? 0 : 1; i < customer.Subscriptions.Count; i++)
            {
                AssertRowIs(customer, customer.Subscriptions[i], rows[customer.Id][i]);
            }
        }

        PSObject Spoilt(SubscriptionQuirk quirk) => rows[quirky[quirk].Id][0];
        SimulatedSubscription Truth(SubscriptionQuirk quirk) => quirky[quirk].Subscriptions[0];

        // Nulls: listed by its id, all else unknown, not 0 or false.
        var nulls = Spoilt(SubscriptionQuirk.NullOptionalFields);
        Assert.Equal(Truth(SubscriptionQuirk.NullOptionalFields).Id.ToString(), nulls.Prop("SubscriptionId"));
        foreach (var property in new[] { "OfferId", "FriendlyName", "Quantity", "Status", "ProductType", "IsNewCommerce", "BillingCycle", "CommitmentEndDate", "TermEnd",
            "AutoRenewEnabled", "IsTrial", "RefundableQuantity", "RefundableUntil", "NextTermQuantity", "ScheduledReduction" })
        {
            Assert.Null(nulls.Prop(property));
        }

        // Seats are whole: 12.5 is unknown, not rounded. A number in a string is the number (the module reads every count so).
        Assert.Null(Spoilt(SubscriptionQuirk.QuantityFractional).Prop("Quantity"));
        Assert.Equal(Truth(SubscriptionQuirk.QuantityAsString).Quantity, Spoilt(SubscriptionQuirk.QuantityAsString).Prop<long>("Quantity"));

        // "true" in a string is true; 1 is not a yes or no.
        Assert.Equal(Truth(SubscriptionQuirk.AutoRenewAsString).AutoRenewEnabled, Spoilt(SubscriptionQuirk.AutoRenewAsString).Prop<bool>("AutoRenewEnabled"));
        Assert.Null(Spoilt(SubscriptionQuirk.IsTrialAsNumber).Prop("IsTrial"));

        // Dates without an offset are UTC, the service's clock (as everywhere in the module): the true moments. The
        // documentation's spaced times read as the moments they name. Bare dates are their midnights.
        foreach (var quirk in new[] { SubscriptionQuirk.DatesWithoutOffset, SubscriptionQuirk.UnreadableDates })
        {
            Assert.Equal(Truth(quirk).EffectiveStartDate, Spoilt(quirk).Prop<DateTimeOffset>("EffectiveStartDate"));
            Assert.Equal(TermEnd(Truth(quirk)), Spoilt(quirk).Prop<DateTimeOffset>("TermEnd"));
        }

        var bare = Truth(SubscriptionQuirk.DateOnlyStrings);
        Assert.Equal(new DateTimeOffset(bare.CreationDate.UtcDateTime.Date, TimeSpan.Zero), Spoilt(SubscriptionQuirk.DateOnlyStrings).Prop<DateTimeOffset>("CreationDate"));
        Assert.Equal(TermEnd(bare), Spoilt(SubscriptionQuirk.DateOnlyStrings).Prop<DateTimeOffset>("TermEnd"));

        // Undocumented text is kept as sent, for the user to see; no id is an unknown id.
        Assert.Equal("migrating", Spoilt(SubscriptionQuirk.UnknownStatus).Prop("Status"));
        Assert.Equal("fortnightly", Spoilt(SubscriptionQuirk.UnknownBillingCycle).Prop("BillingCycle"));
        Assert.Null(Spoilt(SubscriptionQuirk.MissingId).Prop("SubscriptionId"));
        Assert.Equal(Truth(SubscriptionQuirk.MissingId).FriendlyName, Spoilt(SubscriptionQuirk.MissingId).Prop("FriendlyName"));

        // The values that could not be read are named once.
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("left empty", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_undocumented_status_comes_without_Status_and_not_with_it()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 40, HostileSubscriptions = true });
        var customer = WithSubscriptions(scenario).First(c => c.SubscriptionQuirk == SubscriptionQuirk.UnknownStatus);

        var any = scenario.Run("Get-PCCustomerSubscription -CustomerId $args[0]", customer.Id);
        var active = scenario.Run("Get-PCCustomerSubscription -CustomerId $args[0] -Status active, suspended, expired, disabled, pending, none", customer.Id);

        Assert.Contains(any.Output, r => (string?)r.Prop("Status") == "migrating");
        Assert.DoesNotContain(active.Output, r => (string?)r.Prop("Status") == "migrating");
        Assert.Equal(any.Output.Count - 1, active.Output.Count);
    }

    [Fact]
    public async Task The_default_view_keeps_every_column_but_the_next_term_at_80_columns()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var customer = WithSubscriptions(scenario).First(c => c.Subscriptions.Any(s => s.NextTerm is not null));
        var s = customer.Subscriptions.First(s => s.NextTerm is not null);
        const string Script = "Get-PCCustomer | Where-Object CustomerId -eq $args[0] | Get-PCCustomerSubscription";

        var wide = GetPCCustomerLicenseDeploymentTests.RenderedTable(scenario, Script, 160, customer.Id);
        var narrow = GetPCCustomerLicenseDeploymentTests.RenderedTable(scenario, Script, 80, customer.Id);

        string[] columns = ["CustomerName", "Subscription", "Seats", "Status", "Term", "TermEnd", "Renew", "Refund"];
        Assert.Equal([.. columns, "NextTerm"], wide[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(columns, narrow[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.All(narrow, l => Assert.True(l.Length <= 79, l));
        var term = s.TermDuration[1..] + "/" + s.BillingCycle switch { "monthly" => "mo", "annual" => "yr", "triennial" => "3yr", var other => other };
        var row = $@"^{Shown(customer.CompanyName, 13)} +{Shown(s.FriendlyName, 17)} +{s.Quantity} +{s.Status} +{Regex.Escape(term)} +{TermEnd(s):yyyy-MM-dd} +{(s.AutoRenewEnabled ? "Yes" : "No")} +{s.RefundableQuantity}";
        Assert.Contains(narrow, l => Regex.IsMatch(l, row + "$"));
        Assert.Contains(wide, l => Regex.IsMatch(l, row + $" +{s.NextTerm!.Quantity}$"));
    }

    /// <summary>A value as a column of <paramref name="width"/> shows it, as a pattern: whole, or cut with an ellipsis.</summary>
    private static string Shown(string value, int width) =>
        value.Length > width ? Regex.Escape(value[..(width - 1)]) + "…" : Regex.Escape(value);

    [Fact]
    public async Task Without_a_known_name_the_view_shows_the_customer_s_id()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);

        var table = GetPCCustomerLicenseDeploymentTests.RenderedTable(scenario, "Get-PCCustomerSubscription -CustomerId $args[0]", 160, SimulatorOptions.SeedCustomerId);

        Assert.Contains(table, l => l.StartsWith(SimulatorOptions.SeedCustomerId.ToString()[..12] + "…", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_command_declares_its_output_type()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);

        var command = (CommandInfo)scenario.Run("Get-Command Get-PCCustomerSubscription").Objects.Single();

        Assert.Equal(OutputTypeName, command.OutputType.Single().Name);
    }
}
