using System.Management.Automation;
using System.Web;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Get-PCCustomerSubscribedSku: what it writes, the license groups it asks for. Binding, order, concurrency, failures
/// and stopping are the fan-out's, specified once in <see cref="PerCustomerCmdletTests"/>; Export-Csv, which the hosted
/// engine lacks, is tested in tests/Pester/Report.Tests.ps1.
/// </summary>
public sealed class GetPCCustomerSubscribedSkuTests
{
    private const string OutputTypeName = "PartnerCenterUsage.Models.CustomerSubscribedSku";

    private static SimulatorOptions Options => new() { CustomerCount = 12 };

    private static List<SimulatedCustomer> WithGroup2(ModuleScenario scenario) =>
        [.. scenario.Simulator.Data.Customers.Where(c => c.SubscribedSkus.Any(s => s.LicenseGroupId == "Group2"))];

    [Fact]
    public async Task Every_documented_field_comes_with_the_simulator_s_values_and_the_customer_id_of_the_request()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var customers = scenario.Simulator.Data.Customers.Where(c => c.SubscribedSkus.Count > 0).Take(5).ToList();

        var result = scenario.Run("$args[0] | Get-PCCustomerSubscribedSku", (object)customers.Select(c => c.Id).ToArray());

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var expected = customers.SelectMany(c => c.SubscribedSkus.Where(s => s.LicenseGroupId == "Group1").Select(sku => (Customer: c, Sku: sku))).ToList();
        Assert.Equal(expected.Count, result.Output.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (customer, sku) = expected[i];
            var actual = result.Output[i];
            Assert.Equal(OutputTypeName, actual.TypeName());
            Assert.Equal(customer.Id, actual.Prop<Guid>("CustomerId"));
            Assert.Null(actual.Prop("CustomerName")); // the answer has none, and the session has not listed customers
            Assert.Equal(sku.SkuId.ToString(), actual.Prop("SkuId"));
            Assert.Equal(sku.SkuPartNumber, actual.Prop("SkuPartNumber"));
            Assert.Equal(sku.ProductName, actual.Prop("ProductName"));
            Assert.Equal(sku.TargetType, actual.Prop("TargetType"));
            Assert.Equal("Group1", actual.Prop("LicenseGroupId"));
            Assert.Equal(sku.TotalUnits, actual.Prop<long>("TotalUnits"));
            Assert.Equal(sku.ConsumedUnits, actual.Prop<long>("ConsumedUnits"));
            Assert.Equal(sku.AvailableUnits, actual.Prop<long>("AvailableUnits"));
            Assert.Equal(sku.ActiveUnits, actual.Prop<long>("ActiveUnits"));
            Assert.Equal(sku.SuspendedUnits, actual.Prop<long>("SuspendedUnits"));
            Assert.Equal(sku.WarningUnits, actual.Prop<long>("WarningUnits"));
            Assert.Equal(sku.CapabilityStatus, actual.Prop("CapabilityStatus"));
            var plans = PSObject.AsPSObject(actual.Prop("ServicePlans")!);
            Assert.Equal(
                sku.ServicePlans.Select(p => (p.DisplayName, p.ServiceName, p.Id.ToString(), p.CapabilityStatus, p.TargetType)),
                ((System.Collections.IEnumerable)plans.BaseObject).Cast<object>().Select(PSObject.AsPSObject)
                    .Select(p => ((string)p.Prop("DisplayName")!, (string)p.Prop("ServiceName")!, (string)p.Prop("Id")!, (string)p.Prop("CapabilityStatus")!, (string)p.Prop("TargetType")!)));
            Assert.Equal(string.Join("; ", sku.ServicePlans.Select(p => p.DisplayName)), actual.Prop("ServicePlanNames"));
            Assert.Equal(actual.Prop("ServicePlanNames"), plans.BaseObject.ToString());
        }

        Assert.Contains(result.Output, r => r.Prop<long>("AvailableUnits") > 0);
        var requests = scenario.Simulator.Requests.Snapshot();
        Assert.Equal(customers.Select(c => $"/v1/customers/{c.Id}/subscribedskus").Order(), requests.Select(r => r.Path).Order());
        Assert.All(requests, r => Assert.Equal(string.Empty, r.Query)); // no group asked for: Partner Center's default
    }

    [Fact]
    public async Task A_row_s_name_comes_with_its_input_never_from_what_the_session_saw_before()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var customer = scenario.Simulator.Data.Customers.First(c => c.SubscribedSkus.Count > 0);
        scenario.Run("Get-PCCustomer | Out-Null; Get-PCCustomerLicenseUsage $args[0] | Out-Null", customer.Id);

        var byId = scenario.Run("Get-PCCustomerSubscribedSku -CustomerId $args[0]", customer.Id);
        var piped = scenario.Run("Get-PCCustomer | Where-Object CustomerId -eq $args[0] | Get-PCCustomerSubscribedSku", customer.Id);
        var mixed = scenario.Run("$args[0] | Get-PCCustomerSubscribedSku", new object[] { scenario.Simulator.Data.Customers[^1], customer.Id });

        Assert.Empty(byId.Errors);
        Assert.All(byId.Output, r => Assert.Null(r.Prop("CustomerName")));
        Assert.NotEmpty(piped.Output);
        Assert.All(piped.Output, r => Assert.Equal(customer.CompanyName, r.Prop("CustomerName")));
        // A name bound from one input is not carried over to the next input, an id alone.
        Assert.All(mixed.Output.Where(r => r.Prop<Guid>("CustomerId") == customer.Id), r => Assert.Null(r.Prop("CustomerName")));
    }

    [Theory]
    [InlineData("Get-PCCustomerSubscribedSku -CustomerId $args[0] -CustomerName 'Contoso*'")]
    [InlineData("Get-PCCustomerLicenseUsage -CustomerId $args[0] -InputCustomerName Typed")]
    [InlineData("$args[0] | Get-PCCustomerLicenseDeployment -CompanyName Typed")]
    public async Task A_customer_name_typed_on_the_command_line_is_refused_before_any_request(string script)
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);

        var error = scenario.RunTerminating(script, SimulatorOptions.SeedCustomerId);

        Assert.StartsWith("InvalidParameters,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("comes only from the objects piped in", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(scenario.Simulator.Requests.Snapshot());
    }

    [Fact]
    public async Task The_per_customer_cmdlets_complete_the_common_parameters()
    {
        // A hidden parameter would make PowerShell leave the common parameters out of Tab completion.
        await using var scenario = await ModuleScenario.StartAsync(Options);

        foreach (var command in new[] { "Get-PCCustomerSubscribedSku", "Get-PCCustomerLicenseUsage", "Get-PCCustomerLicenseDeployment" })
        {
            var input = command + " -";
            var completions = scenario.Run("(TabExpansion2 $args[0] $args[0].Length).CompletionMatches.CompletionText", input).Output.Select(o => o.ToString()).ToList();
            Assert.Contains("-Verbose", completions);
            Assert.Contains("-ErrorAction", completions);
        }
    }

    [Fact]
    public async Task Piped_from_Get_PCCustomer_each_SKU_carries_its_customer_s_name()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);

        var result = scenario.Run("Get-PCCustomer | Get-PCCustomerSubscribedSku");

        Assert.Empty(result.Errors);
        var names = scenario.Simulator.Data.Customers.ToDictionary(c => c.Id, c => c.CompanyName);
        Assert.Equal(scenario.Simulator.Data.Customers.Sum(c => c.SubscribedSkus.Count(s => s.LicenseGroupId == "Group1")), result.Output.Count);
        Assert.All(result.Output, r => Assert.Equal(names[r.Prop<Guid>("CustomerId")], r.Prop("CustomerName")));
    }

    [Theory]
    [InlineData("Group2", new[] { "Group2" })]
    [InlineData("group2", new[] { "Group2" })]
    [InlineData("Group1, Group2", new[] { "Group1", "Group2" })]
    [InlineData("Group2, Group1, Group2", new[] { "Group2", "Group1" })]
    public async Task LicenseGroup_is_sent_as_licenseGroupIds_and_returns_the_SKUs_of_those_groups(string groups, string[] sent)
    {
        // Every fifth generated customer with licenses has some of Group2 too.
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 30 });
        var customers = WithGroup2(scenario).Take(2).ToList();
        Assert.Equal(2, customers.Count);

        var result = scenario.Run($"$args[0] | Get-PCCustomerSubscribedSku -LicenseGroup {groups}", (object)customers.Select(c => c.Id).ToArray());

        Assert.Empty(result.Errors);
        var expected = customers.SelectMany(c => c.SubscribedSkus.Where(s => sent.Contains(s.LicenseGroupId)).Select(s => (c.Id, s.SkuId.ToString(), s.LicenseGroupId))).ToList();
        Assert.Equal(expected, result.Output.Select(r => (r.Prop<Guid>("CustomerId"), (string)r.Prop("SkuId")!, (string)r.Prop("LicenseGroupId")!)));
        Assert.Contains(result.Output, r => (string?)r.Prop("SkuPartNumber") == "MEE_STUDENT");
        Assert.All(scenario.Simulator.Requests.Snapshot(), r => Assert.Equal(sent, HttpUtility.ParseQueryString(r.Query).GetValues("licenseGroupIds")));
    }

    [Fact]
    public async Task LicenseGroup_takes_only_the_two_documented_groups()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);

        var result = scenario.Run("Get-PCCustomerSubscribedSku -CustomerId $args[0] -LicenseGroup Group3", SimulatorOptions.SeedCustomerId);

        Assert.StartsWith("ParameterArgumentValidationError,", Assert.Single(result.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(scenario.Simulator.Requests.Snapshot());
    }

    /// <summary>SKUs of one customer as Partner Center may send them: units of its own, none, nulls everywhere, no product SKU.</summary>
    private const string SkusAsSent = """
        {"totalCount": 4, "items": [
          {"productSku": {"name": "AS SENT"}, "availableUnits": 2, "totalUnits": 10, "consumedUnits": 5},
          {"productSku": {"name": "COMPUTED"}, "totalUnits": "10", "consumedUnits": 4.0},
          {"customerId": null, "availableUnits": null, "activeUnits": null, "consumedUnits": null, "suspendedUnits": null, "totalUnits": null,
           "warningUnits": null, "capabilityStatus": null, "servicePlans": null,
           "productSku": {"id": null, "name": "NULLS", "skuPartNumber": null, "targetType": null, "licenseGroupId": null}},
          {"productSku": null, "totalUnits": 3, "consumedUnits": 3,
           "servicePlans": [null, {"displayName": null, "serviceName": "EXCHANGE_S_STANDARD", "id": null, "capabilityStatus": "Disabled", "targetType": null}]}
        ]}
        """;

    [Fact]
    public async Task AvailableUnits_is_kept_as_sent_computed_only_when_absent_and_a_null_anywhere_is_empty()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var (odd, next) = (SimulatorOptions.SeedCustomerId, scenario.Simulator.Data.Customers.Skip(1).First(c => c.SubscribedSkus.Count > 0));
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(SkusAsSent, customerId: odd));

        var result = scenario.Run("$args[0] | Get-PCCustomerSubscribedSku", (object)new[] { odd, next.Id });

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var rows = result.Output.Where(r => r.Prop<Guid>("CustomerId") == odd).ToList();
        Assert.Equal(["AS SENT", "COMPUTED", "NULLS", null], rows.Select(r => (string?)r.Prop("ProductName")));
        Assert.Equal(2L, rows[0].Prop("AvailableUnits"));
        Assert.Equal(6L, rows[1].Prop("AvailableUnits"));
        foreach (var property in new[] { "CustomerName", "SkuId", "SkuPartNumber", "TargetType", "LicenseGroupId", "TotalUnits", "ConsumedUnits", "AvailableUnits", "ActiveUnits", "SuspendedUnits", "WarningUnits", "CapabilityStatus" })
        {
            Assert.Null(rows[2].Prop(property));
        }

        Assert.Equal(string.Empty, rows[2].Prop("ServicePlanNames"));
        Assert.Equal(0L, rows[3].Prop("AvailableUnits"));
        Assert.Equal("EXCHANGE_S_STANDARD (Disabled)", rows[3].Prop("ServicePlanNames"));

        // The next customer comes out whole.
        Assert.Equal(next.SubscribedSkus.Count(s => s.LicenseGroupId == "Group1"), result.Output.Count(r => r.Prop<Guid>("CustomerId") == next.Id));
    }

    [Fact]
    public async Task A_product_SKU_or_service_plans_of_another_type_are_empty_with_one_warning_not_a_failed_customer()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(
            """{"totalCount":1,"items":[{"productSku":"Suite","totalUnits":5,"consumedUnits":1,"servicePlans":{"displayName":"Exchange"}}]}""",
            customerId: SimulatorOptions.SeedCustomerId));

        var result = scenario.Run("Get-PCCustomerSubscribedSku -CustomerId $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Empty(result.Errors);
        var sku = Assert.Single(result.Output);
        Assert.Null(sku.Prop("ProductName"));
        Assert.Null(sku.Prop("SkuPartNumber"));
        Assert.Equal(4L, sku.Prop("AvailableUnits"));
        Assert.Equal(string.Empty, sku.Prop("ServicePlanNames"));
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("'Suite' for an object", warning, StringComparison.Ordinal);
        Assert.Contains("'{...}' for a list", warning, StringComparison.Ordinal);
        Assert.Contains("left empty", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_README_s_report_lists_the_SKUs_with_units_free_to_assign_and_not_those_whose_units_are_unknown()
    {
        var report = DocumentedExampleTests.ReadmeStatement("Get-PCCustomer | Get-PCCustomerSubscribedSku | Where-Object");
        await using var scenario = await ModuleScenario.StartAsync(Options);
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(SkusAsSent, customerId: SimulatorOptions.SeedCustomerId));

        var result = scenario.Run(report);

        Assert.Empty(result.Errors);
        Assert.Equal(["AS SENT", "COMPUTED"], result.Output.Where(r => r.Prop<Guid>("CustomerId") == SimulatorOptions.SeedCustomerId).Select(r => (string?)r.Prop("ProductName")));
        var free = scenario.Simulator.Data.Customers.Skip(1).SelectMany(c => c.SubscribedSkus.Where(s => s.LicenseGroupId == "Group1" && s.AvailableUnits > 0)).ToList();
        Assert.NotEmpty(free);
        Assert.Equal(free.Select(s => s.SkuId.ToString()), result.Output.Where(r => r.Prop<Guid>("CustomerId") != SimulatorOptions.SeedCustomerId).Select(r => (string)r.Prop("SkuId")!));
    }

    [Fact]
    public async Task The_default_view_keeps_customer_product_and_the_three_unit_counts_at_80_columns()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);
        var customer = scenario.Simulator.Data.Customers.Skip(1).First(c => c.SubscribedSkus.Count > 0);
        var sku = customer.SubscribedSkus[0];
        const string Script = "Get-PCCustomer | Where-Object CustomerId -eq $args[0] | Get-PCCustomerSubscribedSku";

        var wide = GetPCCustomerLicenseDeploymentTests.RenderedTable(scenario, Script, 160, customer.Id);
        var narrow = GetPCCustomerLicenseDeploymentTests.RenderedTable(scenario, Script, 80, customer.Id);

        Assert.Equal(["CustomerName", "ProductName", "Total", "Consumed", "Available", "SkuPartNumber"], wide[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["CustomerName", "ProductName", "Total", "Consumed", "Available"], narrow[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.All(narrow, l => Assert.True(l.Length <= 79, l));
        Assert.Contains(wide, l => l.StartsWith(customer.CompanyName, StringComparison.Ordinal) && l.EndsWith(" " + sku.SkuPartNumber, StringComparison.Ordinal)
            && l.Contains($" {sku.TotalUnits} ", StringComparison.Ordinal));
        Assert.Contains(narrow, l => l.StartsWith(customer.CompanyName, StringComparison.Ordinal)
            && System.Text.RegularExpressions.Regex.IsMatch(l, $@" {sku.TotalUnits} +{sku.ConsumedUnits} +{sku.AvailableUnits}$"));
    }

    [Fact]
    public async Task Without_a_known_name_the_view_shows_the_customer_s_id()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options);

        var table = GetPCCustomerLicenseDeploymentTests.RenderedTable(scenario, "Get-PCCustomerSubscribedSku -CustomerId $args[0]", 160, SimulatorOptions.SeedCustomerId);

        Assert.Contains(table, l => l.StartsWith(SimulatorOptions.SeedCustomerId.ToString()[..21] + "…", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_command_declares_its_output_type()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);

        var command = (CommandInfo)scenario.Run("Get-Command Get-PCCustomerSubscribedSku").Objects.Single();

        Assert.Equal(OutputTypeName, command.OutputType.Single().Name);
    }
}
