using System.Management.Automation;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Get-PCLicenseReduction against the simulator: its numbers agree with the usage, deployment and subscriptions the
/// simulator generated, ambiguous and missing matches are flagged, the requests are the commercial ones plus one per
/// customer (and one per distinct catalog SKU, per legacy subscription), and a hostile subscriptions body loses nothing.
/// The join's rules are specified without HTTP in <see cref="Engine.LicenseReductionPlannerTests"/>.
/// </summary>
public sealed class GetPCLicenseReductionTests
{
    private const string OutputTypeName = "PartnerCenterUsage.Models.CustomerLicenseReduction";

    private static SimulatorOptions Options => new() { CustomerCount = 25 };

    private static string Key(Guid customer, string? product) => customer + "|" + product?.ToUpperInvariant();

    [Fact]
    public async Task Every_customer_s_products_come_with_the_seats_of_the_analytics_and_the_subscriptions_that_carry_them()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var data = scenario.Simulator.Data;

        var result = scenario.Run("Get-PCLicenseReduction");

        Assert.Empty(result.Errors);
        var rows = result.Output;
        Assert.All(rows, r => Assert.Equal(OutputTypeName, r.TypeName()));
        var byProduct = rows.Where(r => r.Prop("ProductId") is not null).ToDictionary(r => Key(r.Prop<Guid>("CustomerId"), (string)r.Prop("ProductId")!));
        var now = scenario.Clock.GetUtcNow();
        foreach (var customer in data.Customers.Where(c => c.Deployment.Count > 0 && c.Id != SimulatorOptions.SeedCustomerId))
        {
            foreach (var deployment in customer.Deployment)
            {
                var row = byProduct[Key(customer.Id, deployment.ProductId)];
                Assert.Equal(deployment.LicensesSold, row.Prop<long>("PaidSeats"));
                Assert.Equal(deployment.LicensesDeployed, row.Prop<long>("AssignedSeats"));
                Assert.Equal(customer.Usage.Where(u => u.ProductName == deployment.ProductName).Max(u => u.LicensesActive), row.Prop<long>("ActiveSeats"));
                Assert.Equal(customer.CompanyName, row.Prop("CustomerName"));
                Assert.Equal(now, row.Prop<DateTimeOffset>("AsOf"));

                var carriers = customer.Subscriptions.Where(s => s.CarriesSoldSeats && s.ProductName == deployment.ProductName).ToList();
                var match = row.Prop("Match")!.ToString();
                if (match != "Matched")
                {
                    continue;
                }

                // Matched: exactly the simulator's subscriptions of the product, their seats, and what is left from elsewhere.
                var listed = ((System.Collections.IEnumerable)PSObject.AsPSObject(row.Prop("Subscriptions")!).BaseObject).Cast<object>().Select(PSObject.AsPSObject).ToList();
                Assert.Equal(carriers.Select(s => s.Id.ToString()).Order(), listed.Select(s => ((string)s.Prop("SubscriptionId")!).ToLowerInvariant()).Order());
                Assert.Equal(carriers.Sum(s => s.Quantity), row.Prop<long>("SubscribedSeats"));

                var open = carriers.Where(s => !s.IsTrial && !s.IsLegacy).SelectMany(s => s.RefundableBatches).Where(b => b.AllowedUntil > now).ToList();
                Assert.Equal(open.Sum(b => b.Quantity), row.Prop<long>("RefundableSeats"));
                var unused = Math.Max(0, deployment.LicensesSold - row.Prop<long>("ActiveSeats"));
                Assert.Equal(Math.Min(unused, open.Sum(b => b.Quantity)), row.Prop<long>("CuttableNow"));
                if (row.Prop<long>("CuttableNow") > 0)
                {
                    Assert.Equal(open.Min(b => b.AllowedUntil), row.Prop<DateTimeOffset>("ReturnableUntil"));
                    Assert.Equal(row.Prop("ReturnableUntil"), row.Prop("ActBy"));
                }
            }
        }

        // The cases the issue names all occur in the portfolio.
        Assert.Contains(rows, r => r.Prop("Match")!.ToString() == "Matched" && r.Prop<long>("CuttableNow") > 0);
        Assert.Contains(rows, r => r.Prop("Match")!.ToString() == "Matched" && r.Prop<long>("CuttableAtRenewal") > 0);
        Assert.Contains(rows, r => r.Prop<long?>("OtherSourceSeats") > 0);
        Assert.Contains(rows, r => r.Prop("Match")!.ToString() == "Ambiguous");
        Assert.Contains(rows, r => r.Prop("Match")!.ToString() == "Missing");
        Assert.Contains(rows, r => (string?)r.Prop("MatchedBy") == "provisioning status");
    }

    [Fact]
    public async Task A_bundle_subscription_whose_sku_provisions_two_of_the_customer_s_products_is_flagged_ambiguous_never_guessed()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var customer = scenario.Simulator.Data.Customers.First(c => c.Subscriptions.Any(s => s.CatalogSku?.ProvisioningIds.Count > 1 && s.CarriesSoldSeats
            && s.CatalogSku.ProvisioningIds.All(id => c.Deployment.Any(d => string.Equals(d.ProductId, id.ToString(), StringComparison.OrdinalIgnoreCase)))));
        var bundle = customer.Subscriptions.First(s => s.CatalogSku?.ProvisioningIds.Count > 1);

        var rows = scenario.Run("Get-PCLicenseReduction -CustomerId $args[0]", customer.Id).Output;

        var own = rows.Single(r => r.Prop("ProductId") is null && r.Prop("Match")!.ToString() == "Ambiguous");
        Assert.Contains(" or ", (string)own.Prop("ProductName")!);
        Assert.Equal(bundle.Quantity, own.Prop<long>("SubscribedSeats"));
        Assert.Null(own.Prop("CuttableNow"));
        foreach (var candidate in bundle.CatalogSku!.ProvisioningIds)
        {
            var row = rows.Single(r => string.Equals((string?)r.Prop("ProductId"), candidate.ToString(), StringComparison.OrdinalIgnoreCase));
            Assert.Equal("Ambiguous", row.Prop("Match")!.ToString());
            Assert.Null(row.Prop("OtherSourceSeats"));
            Assert.Contains(bundle.FriendlyName, (string)row.Prop("MatchNote")!);
        }
    }

    [Fact]
    public async Task The_requests_are_the_commercial_ones_one_subscriptions_request_per_customer_and_one_catalog_request_per_sku()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var data = scenario.Simulator.Data;

        var result = scenario.Run("Get-PCLicenseReduction");
        var again = scenario.Run("Get-PCLicenseReduction -CustomerId $args[0]", data.Customers[1].Id);

        Assert.Empty(result.Errors);
        Assert.Empty(again.Errors);
        var requests = scenario.Simulator.Requests.Snapshot();
        var analytics = data.Customers.Where(c => c.Deployment.Count > 0 || c.Usage.Count > 0).Select(c => c.Id).ToList();
        var subscriptions = requests.Where(r => r.Path.EndsWith("/subscriptions", StringComparison.Ordinal)).Select(r => r.Path).ToList();
        Assert.Equal(analytics.Select(id => $"/v1/customers/{id}/subscriptions").Append($"/v1/customers/{data.Customers[1].Id}/subscriptions").Order(), subscriptions.Order());
        var catalog = requests.Where(r => r.Path.StartsWith("/v1/products/", StringComparison.Ordinal)).ToList();
        Assert.Equal(catalog.Count, catalog.Select(r => r.Path.ToUpperInvariant()).Distinct().Count()); // kept by the connection: never asked twice
        Assert.All(catalog, r => Assert.Equal("?country=US", r.Query));
        var expectedCatalog = data.Customers.Where(c => analytics.Contains(c.Id)).SelectMany(c => c.Subscriptions)
            .Where(s => s.Status is not ("suspended" or "expired" or "disabled" or "deleted") && s.CatalogSku is not null).Select(s => s.CatalogSku!.ProductSku).Distinct().Count();
        Assert.Equal(expectedCatalog, catalog.Count);
        var commercial = requests.Count(r => r.Path.Contains("/analytics/commercial/", StringComparison.Ordinal));
        Assert.InRange(commercial, 2, 4); // usage and deployment, each one page (and the other path form at most once)
        var provisioning = requests.Count(r => r.Path.EndsWith("/provisioningstatus", StringComparison.Ordinal));
        Assert.Equal(requests.Count, commercial + subscriptions.Count + catalog.Count + provisioning);
        Assert.InRange(provisioning, 1, analytics.Count);
    }

    [Fact]
    public async Task Customers_piped_in_are_joined_in_input_order_with_the_names_they_came_with()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var picked = scenario.Simulator.Data.Customers.Where(c => c.Deployment.Count > 0).Skip(2).Take(3).Reverse().ToList();

        var result = scenario.Run("$args[0] | ForEach-Object { [pscustomobject]@{ CustomerId = $_.Id; CompanyName = 'Named ' + $_.CompanyName } } | Get-PCLicenseReduction -ThrottleLimit 2",
            (object)picked.ToArray());

        Assert.Empty(result.Errors);
        Assert.Equal(picked.Select(c => c.Id), result.Output.Select(r => r.Prop<Guid>("CustomerId")).Distinct());
        Assert.All(result.Output, r => Assert.StartsWith("Named ", (string)r.Prop("CustomerName")!));
    }

    [Fact]
    public async Task Typed_input_customer_name_is_refused_with_a_stable_error_id()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);

        var error = scenario.RunTerminating("Get-PCLicenseReduction -CompanyName Contoso");

        Assert.StartsWith("InvalidParameters", error.FullyQualifiedErrorId);
    }

    [Fact]
    public async Task An_empty_list_of_customers_is_no_customer_and_a_null_one_a_clear_error_never_the_whole_portfolio()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);

        var empty = scenario.Run("Get-PCLicenseReduction -CustomerId @()");
        var piped = scenario.Run("@() | Get-PCLicenseReduction");
        var nullPiped = scenario.Run("$null | Get-PCLicenseReduction");
        var typedNull = scenario.RunTerminating("Get-PCLicenseReduction -CustomerId $null");

        Assert.Empty(empty.Output);
        Assert.Empty(empty.Errors);
        Assert.Empty(piped.Output);
        Assert.Empty(nullPiped.Output);
        Assert.StartsWith("ParameterArgumentValidationError", Assert.Single(nullPiped.Errors).FullyQualifiedErrorId);
        Assert.StartsWith("ParameterArgumentValidationError", typedNull.FullyQualifiedErrorId);
        Assert.Empty(scenario.Simulator.Requests.Snapshot());
    }

    [Fact]
    public async Task Analytics_that_cannot_be_read_are_one_error_for_the_run_not_one_per_customer_piped_in()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        scenario.Simulator.Faults.Add(InjectedFault.Error(403, "2000", "Access denied.", pathContains: "/analytics/commercial/"));
        var ids = scenario.Simulator.Data.Customers.Where(c => c.Deployment.Count > 0).Take(5).Select(c => c.Id).ToArray();

        var error = scenario.RunTerminating("$args[0] | Get-PCLicenseReduction", (object)ids);

        Assert.StartsWith("AccessDenied", error.FullyQualifiedErrorId);
        Assert.Null(error.TargetObject);
        Assert.Contains("Reading the portfolio's license analytics", error.ErrorDetails?.Message ?? error.Exception.Message);
    }

    [Fact]
    public async Task A_hostile_subscriptions_body_is_a_clear_error_or_unknown_values_and_no_customer_is_lost()
    {
        var options = Options;
        options.HostileSubscriptions = true;
        await using var scenario = await ModuleScenario.StartAsync(options);
        var analytics = scenario.Simulator.Data.Customers.Where(c => c.Deployment.Count > 0 || c.Usage.Count > 0).ToList();

        var result = scenario.Run("Get-PCLicenseReduction");

        var failed = result.Errors.Select(e => (Guid)e.TargetObject).ToList();
        Assert.All(result.Errors, e => Assert.StartsWith("InvalidResponse", e.FullyQualifiedErrorId));
        var answered = result.Output.Select(r => r.Prop<Guid>("CustomerId")).Distinct().ToList();
        Assert.Empty(answered.Intersect(failed));
        Assert.Equal(analytics.Select(c => c.Id).Order(), answered.Concat(failed).Order());
        Assert.Contains(scenario.Simulator.Data.Customers, c => c.SubscriptionQuirk is not null && answered.Contains(c.Id));
    }
}
