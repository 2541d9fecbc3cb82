using System.Web;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>Get-PCLicenseDeployment: licenses sold, assigned and unassigned across the portfolio.</summary>
public sealed class GetPCLicenseDeploymentTests
{
    private const string DeploymentRoute = "/analytics/commercial/deployment/license";

    [Fact]
    public async Task Every_customer_s_products_come_with_sold_deployed_and_unassigned_licenses()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 30 });

        var result = scenario.Run("Get-PCLicenseDeployment");

        Assert.Empty(result.Errors);
        var expected = scenario.Simulator.Data.DeploymentRows;
        Assert.Equal(expected.Count, result.Output.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (customer, row) = expected[i];
            var actual = result.Output[i];
            Assert.Equal("PartnerCenterUsage.Models.CustomerLicenseDeployment", actual.TypeName());
            Assert.Equal(customer.Id, actual.Prop<Guid>("CustomerId"));
            Assert.Equal(customer.CompanyName, actual.Prop("CustomerName"));
            Assert.Equal(row.ProductId, actual.Prop("ProductId"));
            Assert.Equal(row.ProductName, actual.Prop("ProductName"));
            Assert.Equal(row.LicensesSold, actual.Prop<long>("LicensesSold"));
            Assert.Equal(row.LicensesDeployed, actual.Prop<long>("LicensesDeployed"));
            Assert.Equal(row.LicensesSold - row.LicensesDeployed, actual.Prop<long>("LicensesUnassigned"));
            Assert.Equal(row.DeploymentPercent, actual.Prop<double>("DeploymentPercent"), 2);
        }

        Assert.Contains(result.Output, r => r.Prop<long>("LicensesUnassigned") > 0);
        Assert.Single(scenario.Simulator.Requests.Snapshot(), r => r.Path.EndsWith(DeploymentRoute, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unassigned_licenses_per_product_are_summed_by_the_service()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 30 });

        var result = scenario.Run("Get-PCLicenseDeployment -GroupBy ProductName -Channel reseller");

        Assert.Empty(result.Errors);
        var expected = scenario.Simulator.Data.DeploymentRows.Where(d => d.Row.Channel == "reseller").GroupBy(d => d.Row.ProductName).ToList();
        Assert.Equal(expected.Count, result.Output.Count);
        foreach (var row in result.Output)
        {
            Assert.Equal("PartnerCenterUsage.Models.CustomerLicenseDeployment#Grouped", row.TypeName());
            var group = expected.Single(g => g.Key == (string)row.Prop("ProductName")!);
            Assert.Equal(group.Sum(d => d.Row.LicensesSold - d.Row.LicensesDeployed), row.Prop<long>("LicensesUnassigned"));
            Assert.Null(row.Prop("CustomerId"));
        }

        var request = scenario.Simulator.Requests.Snapshot().Single(r => r.Path.EndsWith(DeploymentRoute, StringComparison.Ordinal));
        Assert.Equal("productName", HttpUtility.ParseQueryString(request.Query)["groupby"]);
        Assert.Equal("channel eq 'reseller'", HttpUtility.ParseQueryString(request.Query)["filter"]);
    }

    [Fact]
    public async Task The_default_view_keeps_customer_product_and_the_three_counts_within_80_columns()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 5 });

        scenario.Run("Get-PCLicenseDeployment | Out-Default");

        var lines = scenario.Shell.ConsoleText.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Equal(["CustomerName", "ProductName", "Sold", "Deployed", "Unassigned", "Deployed%"],
            lines.First(l => l.StartsWith("CustomerName", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var header = lines.First(l => l.StartsWith("CustomerName", StringComparison.Ordinal));
        Assert.True(header.IndexOf("Unassigned", StringComparison.Ordinal) + "Unassigned".Length <= 79, header);
    }

    [Fact]
    public async Task Ids_piped_in_as_text_select_those_customers_and_one_that_is_no_id_is_an_error()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 30 });
        var ids = scenario.CustomersWithUsage(2).Select(c => c.Id).ToArray();

        var result = scenario.Run("$args[0].ToString(), 'not-a-guid', $args[1].ToString() | Get-PCLicenseDeployment", ids[0], ids[1]);

        Assert.StartsWith("InputObjectNotBound,", Assert.Single(result.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(scenario.Simulator.Data.DeploymentRows.Count(d => ids.Contains(d.Customer.Id)), result.Output.Count);
        Assert.Equal(ids, result.Output.Select(r => r.Prop<Guid>("CustomerId")).Distinct());
        var request = Assert.Single(scenario.Simulator.Requests.Snapshot(), r => r.Path.EndsWith(DeploymentRoute, StringComparison.Ordinal));
        Assert.StartsWith("customerTenantId eq ", HttpUtility.ParseQueryString(request.Query)["filter"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_deployment_rows_have_no_workload_filters()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        var error = scenario.Shell.InvokeTerminating("Get-PCLicenseDeployment -WorkloadName Exchange");

        Assert.StartsWith("NamedParameterNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
    }
}
