using System.Management.Automation;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>Get-PCCustomerLicenseUsage: what it writes, how it binds, what it sends.</summary>
public sealed class GetPCCustomerLicenseUsageTests
{
    private const string SeedCustomer = "4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04";
    private const string OutputTypeName = "PartnerCenterUsage.Models.CustomerLicenseUsage";

    [Fact]
    public async Task The_documentation_example_comes_back_as_five_typed_objects_with_every_value()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        var result = scenario.Run($"Get-PCCustomerLicenseUsage -CustomerId {SeedCustomer}");

        Assert.Empty(result.Errors);
        var processed = new DateTimeOffset(2017, 3, 9, 0, 0, 0, TimeSpan.Zero);
        var expected = new (string Product, string Workload, long Active, long Qualified)[]
        {
            ("OFFICE 365 BUSINESS ESSENTIALS", "Exchange", 0, 1),
            ("OFFICE 365 BUSINESS ESSENTIALS", "SharePoint", 0, 1),
            ("OFFICE 365 BUSINESS ESSENTIALS", "Skype For Business", 0, 1),
            ("EXCHANGE ONLINE (PLAN 1)", "Exchange", 0, 5),
            ("EXCHANGE ONLINE ARCHIVING FOR EXCHANGE ONLINE", "Exchange", 0, 2),
        };
        Assert.Equal(expected.Length, result.Output.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var row = result.Output[i];
            Assert.Equal(OutputTypeName, row.TypeName());
            Assert.Equal(Guid.Parse(SeedCustomer), row.Prop<Guid>("CustomerId"));
            Assert.Equal("DT DEMO CSP CUSTOMER 005", row.Prop("CustomerName"));
            Assert.Equal(expected[i].Product, row.Prop("ProductName"));
            Assert.Null(row.Prop("ServiceCode"));
            Assert.Equal("o365", row.Prop("ServiceName"));
            Assert.Null(row.Prop("WorkloadCode"));
            Assert.Equal(expected[i].Workload, row.Prop("WorkloadName"));
            Assert.Equal(expected[i].Active, row.Prop<long>("LicensesActive"));
            Assert.Equal(expected[i].Qualified, row.Prop<long>("LicensesQualified"));
            Assert.Equal(0.0, row.Prop<double>("UsagePercent"));
            Assert.Equal(processed, row.Prop<DateTimeOffset>("ProcessedDateTime"));
            Assert.Equal("reseller", row.Prop("Channel"));
        }
    }

    [Fact]
    public async Task Output_composes_with_Where_Object_on_typed_properties()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var customers = scenario.CustomersWithUsage(4);
        var expected = customers.SelectMany(c => c.Usage.Where(u => u.UsagePercent < 50 && u.LicensesQualified > 100)).Count();
        Assert.True(expected > 0, "the generated data should have rows to filter");

        var result = scenario.Run(
            "$args[0] | Get-PCCustomerLicenseUsage | Where-Object UsagePercent -lt 50 | Where-Object { $_.LicensesQualified -gt 100 }",
            customers.Select(c => c.Id).ToArray());

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Output.Count);
        Assert.All(result.Output, row => Assert.True(row.Prop<double>("UsagePercent") < 50 && row.Prop<long>("LicensesQualified") > 100));
    }

    [Fact]
    public async Task Customers_bind_from_strings_guids_and_objects_with_CustomerId_or_Id_and_keep_their_order()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var c = scenario.CustomersWithUsage(4);

        var result = scenario.Run(
            """
            @(
                $args[0].ToString()
                $args[1]
                [pscustomobject]@{ CustomerId = $args[2].ToString(); CompanyName = 'by CustomerId' }
                [pscustomobject]@{ Id = $args[3]; CompanyName = 'by Id' }
            ) | Get-PCCustomerLicenseUsage
            """,
            c[0].Id, c[1].Id, c[2].Id, c[3].Id);

        Assert.Empty(result.Errors);
        var customerOrder = result.Output.Select(r => r.Prop<Guid>("CustomerId")).Distinct().ToList();
        Assert.Equal(c.Select(x => x.Id), customerOrder);
        Assert.Equal(c.Sum(x => x.Usage.Count), result.Output.Count);
        Assert.Equal(4, scenario.Simulator.Requests.Snapshot().Count);
    }

    [Fact]
    public async Task Several_ids_in_one_parameter_are_fetched_in_order()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var c = scenario.CustomersWithUsage(3);

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", (object)new object[] { c[0].Id, c[1].Id.ToString(), c[2].Id });

        Assert.Empty(result.Errors);
        Assert.Equal(c.Select(x => x.Id), result.Output.Select(r => r.Prop<Guid>("CustomerId")).Distinct());
    }

    [Fact]
    public async Task A_customer_without_licenses_writes_nothing_and_no_error()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var empty = scenario.Simulator.Data.Customers.First(c => c.Usage.Count == 0);

        var result = scenario.Run("Get-PCCustomerLicenseUsage -CustomerId $args[0]", empty.Id);

        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Each_request_carries_the_documented_headers_with_one_correlation_id_per_invocation()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var c = scenario.CustomersWithUsage(2);

        scenario.Run("$args[0] | Get-PCCustomerLicenseUsage | Out-Null", new[] { c[0].Id, c[1].Id });
        scenario.Run("Get-PCCustomerLicenseUsage $args[0] | Out-Null", c[0].Id);

        var requests = scenario.Simulator.Requests.Snapshot();
        Assert.Equal(3, requests.Count);

        // The first invocation's two requests may be sent in either order (they are concurrent).
        Assert.Equal(
            new[] { $"/v1/customers/{c[0].Id}/analytics/licenses/usage", $"/v1/customers/{c[1].Id}/analytics/licenses/usage" }.Order(),
            requests.Take(2).Select(r => r.Path).Order());
        Assert.All(requests, r =>
        {
            Assert.Equal("GET", r.Method);
            Assert.Equal("Bearer " + SimulatorOptions.DefaultToken, r.Header("Authorization"));
            Assert.Equal("application/json", r.Header("Accept"));
            Assert.Equal("en-US", r.Header("X-Locale"));
            Assert.Equal("PartnerCenterUsage", r.Header("MS-PartnerCenter-Client"));
            Assert.True(Guid.TryParse(r.Header("MS-RequestId"), out _));
            Assert.True(Guid.TryParse(r.Header("MS-CorrelationId"), out _));
        });
        Assert.Equal(3, requests.Select(r => r.Header("MS-RequestId")).Distinct().Count());
        Assert.Equal(requests[0].Header("MS-CorrelationId"), requests[1].Header("MS-CorrelationId"));
        Assert.NotEqual(requests[0].Header("MS-CorrelationId"), requests[2].Header("MS-CorrelationId"));
    }

    [Fact]
    public async Task The_default_view_is_a_table_of_the_columns_an_admin_reads_first()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        scenario.Run($"Get-PCCustomerLicenseUsage -CustomerId {SeedCustomer} | Out-Default");

        var lines = scenario.Shell.ConsoleText.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        var header = lines.First(l => l.StartsWith("CustomerName", StringComparison.Ordinal));
        Assert.Equal(
            ["CustomerName", "ProductName", "WorkloadName", "Qualified", "Inactive", "Active", "Usage%"],
            header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // A row is one customer's product and workload: all three, then the counts (what output 80 wide keeps ends at 79).
        Assert.Equal(79, header.IndexOf("Inactive", StringComparison.Ordinal) + "Inactive".Length);
        Assert.Contains(lines, l => l.StartsWith("DT DEMO CSP CUSTOM… EXCHANGE ONLINE (PLAN 1)  Exchange", StringComparison.Ordinal)
            && l.EndsWith(" 0.0%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Customers_show_as_a_table_and_the_context_as_a_list()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        scenario.Run("Get-PCCustomer -CustomerId $args[0] | Out-Default; Get-PCContext | Out-Default", SimulatorOptions.SeedCustomerId);

        var lines = scenario.Shell.ConsoleText.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Equal(["CompanyName", "CustomerId", "Domain", "RelationshipToPartner"], lines.First(l => l.StartsWith("CompanyName", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(lines, l => l.StartsWith("ApiEndpoint", StringComparison.Ordinal) && l.Contains(':', StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("SignInKind", StringComparison.Ordinal) && l.EndsWith("AccessToken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_command_declares_its_output_type_and_pipeline_binding()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);

        var command = (CommandInfo)scenario.Run("Get-Command Get-PCCustomerLicenseUsage").Objects.Single();

        Assert.Equal(OutputTypeName, command.OutputType.Single().Name);
        var parameter = command.Parameters["CustomerId"];
        Assert.Equal(typeof(Guid[]), parameter.ParameterType);
        Assert.Contains("Id", parameter.Aliases);
        var binding = parameter.Attributes.OfType<ParameterAttribute>().Single();
        Assert.True(binding.Mandatory);
        Assert.Equal(0, binding.Position);
        Assert.True(binding.ValueFromPipeline);
        Assert.True(binding.ValueFromPipelineByPropertyName);
    }
}
