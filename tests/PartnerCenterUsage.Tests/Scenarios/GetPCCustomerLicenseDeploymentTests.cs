using System.Management.Automation;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Get-PCCustomerLicenseDeployment: what it writes, as the per-customer deployment insights send it. Binding, order,
/// concurrency, failures and stopping are the fan-out's, specified once in <see cref="PerCustomerCmdletTests"/>.
/// </summary>
public sealed class GetPCCustomerLicenseDeploymentTests
{
    private const string OutputTypeName = "PartnerCenterUsage.Models.CustomerLicenseDeployment";

    [Fact]
    public async Task Every_documented_field_comes_with_the_simulator_s_values_and_the_customer_id_of_the_request()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 12 });
        var customers = scenario.Simulator.Data.Customers.Where(c => c.Deployment.Count > 0).Take(5).ToList();
        Assert.Equal(SimulatorOptions.SeedCustomerId, customers[0].Id);

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseDeployment", (object)customers.Select(c => c.Id).ToArray());

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var expected = customers.SelectMany(c => c.Deployment.Select(row => (Customer: c, Row: row))).ToList();
        Assert.Equal(expected.Count, result.Output.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (customer, row) = expected[i];
            var actual = result.Output[i];
            Assert.Equal(OutputTypeName, actual.TypeName());

            // The simulator's answers leave customerId out, as the documentation's examples do: it is the request's.
            Assert.Equal(customer.Id, actual.Prop<Guid>("CustomerId"));
            Assert.Equal(customer.CompanyName, actual.Prop("CustomerName"));
            Assert.Null(actual.Prop("ProductId"));
            Assert.Equal(row.ProductName, actual.Prop("ProductName"));
            Assert.Equal(row.ServiceCode, actual.Prop("ServiceCode"));
            Assert.Equal(row.ServiceName, actual.Prop("ServiceName"));
            Assert.Equal(row.Channel, actual.Prop("Channel"));
            Assert.Equal(row.LicensesDeployed, actual.Prop<long>("LicensesDeployed"));
            Assert.Equal(row.LicensesSold, actual.Prop<long>("LicensesSold"));
            Assert.Equal(row.LicensesSold - row.LicensesDeployed, actual.Prop<long>("LicensesUnassigned"));
            Assert.Equal(row.DeploymentPercent, actual.Prop<double>("DeploymentPercent"));
            Assert.Equal(row.ProcessedDateTime, actual.Prop<DateTimeOffset>("ProcessedDateTime"));
        }

        Assert.Contains(result.Output, r => r.Prop<long>("LicensesUnassigned") > 0);
        Assert.Equal(
            customers.Select(c => $"/v1/customers/{c.Id}/analytics/licenses/deployment").Order(),
            scenario.Simulator.Requests.Snapshot().Select(r => r.Path).Order());
    }

    [Fact]
    public async Task A_customer_s_rows_agree_with_Get_PCLicenseDeployment_s_rows_for_that_customer()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 12 });

        // Generated customers: the commercial analytics answer for the latest processed date, not the seed's 2017.
        foreach (var customer in scenario.Simulator.Data.Customers.Skip(1).Where(c => c.Deployment.Count > 0).Take(3))
        {
            var perCustomer = scenario.Run("Get-PCCustomerLicenseDeployment -CustomerId $args[0]", customer.Id);
            var portfolio = scenario.Run("Get-PCLicenseDeployment -CustomerId $args[0]", customer.Id);

            Assert.Empty(perCustomer.Errors);
            Assert.Empty(portfolio.Errors);
            Assert.Equal(customer.Deployment.Count, perCustomer.Output.Count);
            Assert.Equal(Comparable(portfolio.Output), Comparable(perCustomer.Output));
        }

        static List<string> Comparable(IEnumerable<PSObject> rows) =>
        [
            .. rows.Select(r => string.Join("|",
                r.Prop("CustomerId"), r.Prop("CustomerName"), r.Prop("ProductName"), r.Prop("ServiceCode"), r.Prop("ServiceName"), r.Prop("Channel"),
                r.Prop("LicensesSold"), r.Prop("LicensesDeployed"), r.Prop("LicensesUnassigned"),
                Math.Round(r.Prop<double>("DeploymentPercent"), 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
                r.Prop<DateTimeOffset>("ProcessedDateTime").UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture)))
              .Order(),
        ];
    }

    /// <summary>Rows of one customer as Partner Center may send them: a percentage of its own, none, nulls everywhere, nothing sold.</summary>
    private const string RowsAsSent = """
        {"totalCount": 4, "items": [
          {"productName": "AS SENT", "licensesDeployed": 1, "licensesSold": 3, "deploymentPercent": 50},
          {"productName": "COMPUTED", "licensesDeployed": 1, "licensesSold": 4},
          {"customerId": null, "customerName": null, "productId": null, "productName": "NULLS", "serviceCode": null, "serviceName": null,
           "channel": null, "licensesDeployed": null, "licensesSold": null, "deploymentPercent": null, "processedDateTime": null},
          {"productName": "NONE SOLD", "licensesDeployed": "0", "licensesSold": 0.0}
        ]}
        """;

    [Fact]
    public async Task DeploymentPercent_is_kept_as_sent_computed_only_when_absent_and_a_null_anywhere_is_empty()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 6 });
        var (odd, next) = (SimulatorOptions.SeedCustomerId, scenario.Simulator.Data.Customers.Skip(1).First(c => c.Deployment.Count > 0));
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(RowsAsSent, customerId: odd));

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseDeployment", (object)new[] { odd, next.Id });

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var rows = result.Output.Where(r => r.Prop<Guid>("CustomerId") == odd).ToDictionary(r => (string)r.Prop("ProductName")!);
        Assert.Equal(["AS SENT", "COMPUTED", "NULLS", "NONE SOLD"], rows.Keys);
        Assert.Equal(50.0, rows["AS SENT"].Prop("DeploymentPercent"));
        Assert.Equal(2L, rows["AS SENT"].Prop("LicensesUnassigned"));
        Assert.Equal(25.0, rows["COMPUTED"].Prop("DeploymentPercent"));
        Assert.Equal(3L, rows["COMPUTED"].Prop("LicensesUnassigned"));
        Assert.Equal(0.0, rows["NONE SOLD"].Prop("DeploymentPercent"));
        Assert.Equal(0L, rows["NONE SOLD"].Prop("LicensesUnassigned"));
        foreach (var property in new[] { "CustomerName", "ProductId", "ServiceCode", "ServiceName", "Channel", "LicensesDeployed", "LicensesSold", "LicensesUnassigned", "DeploymentPercent", "ProcessedDateTime" })
        {
            Assert.Null(rows["NULLS"].Prop(property));
        }

        // The next customer comes out whole.
        Assert.Equal(next.Deployment.Count, result.Output.Count(r => r.Prop<Guid>("CustomerId") == next.Id));
    }

    [Fact]
    public async Task The_default_view_keeps_customer_product_and_the_three_counts_at_80_columns_and_the_share_when_wider()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        var wide = RenderedTable(scenario, "Get-PCCustomerLicenseDeployment -CustomerId $args[0]", 160, SimulatorOptions.SeedCustomerId);
        var narrow = RenderedTable(scenario, "Get-PCCustomerLicenseDeployment -CustomerId $args[0]", 80, SimulatorOptions.SeedCustomerId);

        Assert.Equal(["CustomerName", "ProductName", "Sold", "Deployed", "Unassigned", "Deployed%"], wide[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(wide, l => l.StartsWith("DT DEMO CSP CUSTOMER …", StringComparison.Ordinal)
            && l.Contains("EXCHANGE ONLINE (PLAN 1)", StringComparison.Ordinal) && l.EndsWith(" 83.3%", StringComparison.Ordinal));

        // 80 columns, as any redirected output: the share is left out whole, not squeezed into the last column.
        Assert.Equal(["CustomerName", "ProductName", "Sold", "Deployed", "Unassigned"], narrow[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.All(narrow, l => Assert.True(l.Length <= 79, l));
        Assert.Contains(narrow, l => l.StartsWith("DT DEMO CSP CUSTOMER …", StringComparison.Ordinal) && l.EndsWith("6        5          1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_command_declares_its_output_type()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);

        var command = (CommandInfo)scenario.Run("Get-Command Get-PCCustomerLicenseDeployment").Objects.Single();

        Assert.Equal(OutputTypeName, command.OutputType.Single().Name);
    }

    /// <summary>
    /// The lines of the table <paramref name="script"/>'s output shows when it is laid out in <paramref name="columns"/>
    /// columns, from the header line on, trailing spaces trimmed. A console keeps its last column free (a console 80
    /// wide lays tables out in 79), while output redirected to a file, or Out-String -Width 80, uses all 80: the
    /// hosted console is made one column wider than the layout asked for.
    /// </summary>
    internal static List<string> RenderedTable(ModuleScenario scenario, string script, int columns, params object?[] arguments)
    {
        var before = scenario.Shell.ConsoleText.Length;
        var result = scenario.Run(
            $"$Host.UI.RawUI.BufferSize = [System.Management.Automation.Host.Size]::new({columns + 1}, 9999); {script} | Out-Default", arguments);
        Assert.Empty(result.Errors);
        var lines = scenario.Shell.ConsoleText[before..].Split('\n').Select(l => l.TrimEnd('\r', ' ')).Where(l => l.Length > 0).ToList();
        return lines.SkipWhile(l => !l.StartsWith("CustomerName", StringComparison.Ordinal)).ToList();
    }
}
