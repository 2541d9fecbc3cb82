using System.Management.Automation;
using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>
/// What a demanding admin types, against a server that records every request: a wildcard PowerShell cannot read and a
/// -Filter that closes its own group are each one clear error before anything is sent (not a RuntimeException after
/// the first answers, not a filter that selects the whole portfolio), and what is right stays as it was.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly Guid Customer = Guid.Parse("c0ffee00-0000-4000-8000-000000000001");

    /// <summary>
    /// Every parameter of the module that takes wildcards: the filter parameters of both commercial reports (the
    /// fields of their rows, the customer id aside, which is a GUID), and Get-PCCustomer's name and domain.
    /// </summary>
    public static TheoryData<string, string> WildcardParameters
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (command, report) in new[] { ("Get-PCLicenseUsage", CommercialReport.Usage), ("Get-PCLicenseDeployment", CommercialReport.Deployment) })
            {
                foreach (var filtered in CommercialQuery.FieldsOf(report).Where(f => f != CommercialField.CustomerId))
                {
                    data.Add(command, filtered.ToString());
                }
            }

            data.Add("Get-PCCustomer", "CompanyName");
            data.Add("Get-PCCustomer", "Domain");
            return data;
        }
    }

    // ---- Wildcards ----

    [Theory]
    [MemberData(nameof(WildcardParameters))]
    public async Task A_wildcard_that_is_no_pattern_is_one_InvalidWildcard_error_before_any_request(string command, string parameter)
    {
        await using var scenario = await Started();

        var run = scenario.Run($"{command} -{parameter} '[abc'");

        var error = Assert.Single(run.Errors);
        Assert.Same(run.Terminating, error);
        Assert.Equal(["InvalidWildcard"], run.ErrorIds);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("[abc", error.TargetObject);
        Assert.Contains($"-{parameter} '[abc' is not a valid wildcard pattern", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("backtick", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(run.Output);
        Assert.Empty(scenario.Server.Requests);

        // A pattern that is one is asked for as before.
        var valid = scenario.Run($"{command} -{parameter} '[abc]*'");
        Assert.Empty(valid.Errors);
        Assert.NotEmpty(scenario.Server.Requests);
    }

    [Theory]
    [InlineData("Get-PCLicenseUsage -WorkloadName 'Exch[ange'")]
    [InlineData("Get-PCLicenseDeployment -ProductName 'E3', '[z-a]*'")]
    public async Task A_wildcard_that_is_no_pattern_stops_the_pipeline_before_the_customers_upstream_are_listed(string report)
    {
        await using var scenario = await Started();

        var run = scenario.Run("Get-PCCustomer | " + report);

        Assert.Equal(["InvalidWildcard"], run.ErrorIds);
        Assert.Empty(scenario.Server.Requests);
    }

    [Fact]
    public async Task The_command_after_a_refused_wildcard_runs()
    {
        await using var scenario = await Started();

        var result = scenario.Shell.Invoke("Get-PCLicenseUsage -CustomerName 'Contoso [EU'; 'next'; Get-PCLicenseUsage -CustomerName 'Contoso*'");

        Assert.Equal("InvalidWildcard", Assert.Single(result.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("next", result.Objects);
        Assert.Equal(2, result.Objects.Count(o => o is not string));
        Assert.Single(scenario.Server.Requests);
    }

    // ---- -Filter ----

    [Theory]
    [InlineData("Get-PCLicenseUsage -CustomerId $args[0] -Filter $args[1]", "productName eq 'x') or (productName ne 'x'")]
    [InlineData("Get-PCLicenseDeployment -CustomerId $args[0] -Filter $args[1]", "productName eq 'x') or (productName ne 'x'")]
    [InlineData("$args[0] | Get-PCLicenseUsage -Filter $args[1]", ") or (productName ne 'x'")]
    [InlineData("Get-PCLicenseUsage -CustomerId $args[0] -Filter $args[1]", "productName eq 'x'') or (productName ne 'x'")]
    [InlineData("Get-PCLicenseUsage -CustomerId $args[0] -Filter $args[1]", "productName eq \"x\") or (productName ne \"x\"")]
    [InlineData("Get-PCLicenseUsage -CustomerId $args[0] -ProductName E3 -Filter $args[1]", "(serviceCode eq 'x'")]
    public async Task A_filter_that_could_leave_its_group_is_one_InvalidFilter_error_before_any_request(string script, string filter)
    {
        await using var scenario = await Started();

        var run = scenario.Run(script, Customer, filter);

        var error = Assert.Single(run.Errors);
        Assert.Same(run.Terminating, error);
        Assert.Equal(["InvalidFilter"], run.ErrorIds);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(filter, error.TargetObject);
        Assert.Contains("nothing was asked of Partner Center", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("At character", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("-CustomerId", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(run.Output);
        Assert.Empty(scenario.Server.Requests);
    }

    [Theory]
    [InlineData("productName eq 'a)b'")]
    [InlineData("productName eq 'O''Brien (EU)' or productName eq 'it'')s'")]
    [InlineData("(productName eq 'x' or productName eq 'y') and serviceCode ne ')'")]
    public async Task A_filter_with_parentheses_and_quotes_inside_its_values_is_sent_inside_its_group(string filter)
    {
        await using var scenario = await Started();

        var run = scenario.Run("Get-PCLicenseUsage -CustomerId $args[0] -Filter $args[1]", Customer, filter);

        Assert.Empty(run.Errors);
        var sent = Uri.UnescapeDataString(Assert.Single(scenario.Server.Requests).Query("filter")!);
        Assert.Equal($"customerTenantId eq '{Customer.ToString("D").ToUpperInvariant()}' and ({filter})", sent);
    }

    /// <summary>A server that answers every endpoint as documented.</summary>
    private static async Task<HostileScenario> Started()
    {
        var scenario = await HostileScenario.StartAsync();
        scenario.Server.Answer(r => HostileEndpoints.All.First(e => r.Path.Contains(e.Path, StringComparison.OrdinalIgnoreCase)).Valid(scenario.Server, r));
        return scenario;
    }
}
