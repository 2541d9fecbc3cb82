using System.Management.Automation;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Get-PCPartnerLicenseUsage and Get-PCPartnerLicenseDeployment: the partner's aggregates over all its customers, read
/// from the simulator's partner-wide insights, which it computes from the same generated customers as every other
/// endpoint.
/// </summary>
public sealed class GetPCPartnerLicenseTests
{
    private const string UsageRoute = "/v1/analytics/licenses/usage";
    private const string DeploymentRoute = "/v1/analytics/licenses/deployment";

    public static TheoryData<string, string> Cmdlets => new()
    {
        { "Get-PCPartnerLicenseUsage", UsageRoute },
        { "Get-PCPartnerLicenseDeployment", DeploymentRoute },
    };

    private static double Percent(long part, long whole) => whole == 0 ? 0 : Math.Round(100.0 * part / whole, 2);

    [Fact]
    public async Task Usage_comes_per_workload_service_and_channel_with_the_prorated_usage_of_all_customers()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 30 });

        var result = scenario.Run("Get-PCPartnerLicenseUsage");

        Assert.Empty(result.Errors);
        var expected = scenario.Simulator.Data.UsageRows.Select(r => r.Row).GroupBy(u => (u.WorkloadName, u.ServiceName, u.Channel)).ToList();
        Assert.True(expected.Count > 3);
        Assert.Equal(expected.Count, result.Output.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var group = expected[i];
            var row = result.Output[i];
            Assert.Equal("PartnerCenterUsage.Models.PartnerLicenseUsage", row.TypeName());
            Assert.Equal(group.Key.WorkloadName, row.Prop("WorkloadName"));
            Assert.Equal(group.Key.ServiceName, row.Prop("ServiceName"));
            Assert.Equal(group.Key.Channel, row.Prop("Channel"));
            Assert.Equal(Percent(group.Sum(u => u.LicensesActive), group.Sum(u => u.LicensesQualified)), row.Prop<double>("ProratedLicensesUsagePercent"));
            Assert.Equal(group.Max(u => u.ProcessedDateTime), row.Prop<DateTimeOffset>("ProcessedDateTime"));
        }

        var request = Assert.Single(scenario.Simulator.Requests.Snapshot());
        Assert.Equal(UsageRoute, request.Path);
    }

    [Fact]
    public async Task Deployment_comes_per_product_service_and_channel_with_the_sold_and_prorated_deployment_of_all_customers()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 30 });

        var result = scenario.Run("Get-PCPartnerLicenseDeployment");

        Assert.Empty(result.Errors);
        var expected = scenario.Simulator.Data.DeploymentRows.Select(r => r.Row).GroupBy(d => (d.ProductName, d.ServiceName, d.Channel)).ToList();
        Assert.True(expected.Count > 3);
        Assert.Equal(expected.Count, result.Output.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var group = expected[i];
            var row = result.Output[i];
            Assert.Equal("PartnerCenterUsage.Models.PartnerLicenseDeployment", row.TypeName());
            Assert.Equal(group.Key.ProductName, row.Prop("ProductName"));
            Assert.Equal(group.Key.ServiceName, row.Prop("ServiceName"));
            Assert.Equal(group.Key.Channel, row.Prop("Channel"));
            Assert.Equal(group.Sum(d => d.LicensesSold), row.Prop<long>("LicensesSold"));
            Assert.Equal(Percent(group.Sum(d => d.LicensesDeployed), group.Sum(d => d.LicensesSold)), row.Prop<double>("ProratedDeploymentPercent"));
            Assert.Equal(group.Max(d => d.ProcessedDateTime), row.Prop<DateTimeOffset>("ProcessedDateTime"));
        }

        var request = Assert.Single(scenario.Simulator.Requests.Snapshot());
        Assert.Equal(DeploymentRoute, request.Path);
    }

    [Fact]
    public async Task A_usage_value_not_sent_or_sent_as_null_is_empty_not_zero()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(
            """
            {"totalCount": 2, "items": [
              {"workloadName": "Exchange"},
              {"workloadName": "SharePoint", "serviceName": null, "channel": null, "proratedLicensesUsagePercent": null, "processedDateTime": null}
            ]}
            """,
            pathContains: UsageRoute));

        var result = scenario.Run("Get-PCPartnerLicenseUsage");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal(["Exchange", "SharePoint"], result.Output.Select(r => (string)r.Prop("WorkloadName")!));
        Assert.All(result.Output, r => Assert.All(
            ["ServiceName", "Channel", "ProratedLicensesUsagePercent", "ProcessedDateTime"], p => Assert.Null(r.Prop(p))));
    }

    [Fact]
    public async Task A_deployment_value_not_sent_or_sent_as_null_is_empty_not_zero()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(
            """
            {"totalCount": 2, "items": [
              {"productName": "OFFICE 365 E3"},
              {"productName": "MICROSOFT 365 E5", "serviceName": null, "channel": null, "licensesSold": null, "proratedDeploymentPercent": null, "processedDateTime": null}
            ]}
            """,
            pathContains: DeploymentRoute));

        var result = scenario.Run("Get-PCPartnerLicenseDeployment");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal(["OFFICE 365 E3", "MICROSOFT 365 E5"], result.Output.Select(r => (string)r.Prop("ProductName")!));
        Assert.All(result.Output, r => Assert.All(
            ["ServiceName", "Channel", "LicensesSold", "ProratedDeploymentPercent", "ProcessedDateTime"], p => Assert.Null(r.Prop(p))));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public async Task An_item_of_another_shape_is_InvalidResponse_not_a_row_of_nothing(string cmdlet, string route)
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(
            """{"totalCount": 1, "items": [{"id": "5f3c", "status": "active", "attributes": {"objectType": "Order"}}]}""", pathContains: route));

        var result = scenario.Run(cmdlet);

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidResponse,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("none of the fields", error.Exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public async Task A_403_is_AccessDenied_with_advice_about_the_user_s_role_not_about_a_customer(string cmdlet, string route)
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Simulator.Faults.Add(InjectedFault.Error(403, "403", "Forbidden.", pathContains: route));

        var result = scenario.Run(cmdlet);

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("AccessDenied,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains("Admin Agent", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.DoesNotContain("customer", error.ErrorDetails.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(route, error.Exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public async Task A_next_page_the_answer_links_to_is_read_with_its_continuation_token(string cmdlet, string route)
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 10 });
        var all = scenario.Run(cmdlet).Output.Count;
        scenario.Simulator.Requests.Clear();
        // The simulator does not page these: the first answer is one row and a link, the second the simulator's own.
        var next = route["/v1".Length..] + "?seekOperation=Next";
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(
            $$"""
            {"totalCount": 1, "items": [{"serviceName": "page one", "channel": "reseller"}],
             "links": {"next": {"uri": "{{next}}", "method": "GET", "headers": [{"key": "MS-ContinuationToken", "value": "page-2"}]} } }
            """,
            pathContains: route,
            times: 1));

        var result = scenario.Run(cmdlet);

        Assert.Empty(result.Errors);
        Assert.Equal(1 + all, result.Output.Count);
        Assert.Equal("page one", result.Output[0].Prop("ServiceName"));
        var requests = scenario.Simulator.Requests.Snapshot();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(route, r.Path));
        Assert.Null(requests[0].Header("MS-ContinuationToken"));
        Assert.Equal("?seekOperation=Next", requests[1].Query);
        Assert.Equal("page-2", requests[1].Header("MS-ContinuationToken"));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public async Task A_failure_on_a_next_page_is_an_error_after_the_rows_already_written(string cmdlet, string route)
    {
        await using var scenario = await ModuleScenario.StartAsync(client: c => c.MaxRetryAttempts = 2);
        var next = route["/v1".Length..] + "?seekOperation=Next";
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(
            $$"""
            {"totalCount": 1, "items": [{"serviceName": "page one"}],
             "links": {"next": {"uri": "{{next}}", "headers": [{"key": "MS-ContinuationToken", "value": "page-2"}]} } }
            """,
            pathContains: route,
            times: 1));
        scenario.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Busy.", pathContains: route));

        var result = scenario.Run(cmdlet + " 2>&1");

        var written = result.Objects.TakeWhile(o => o is not ErrorRecord).ToList();
        Assert.Single(written);
        var error = Assert.IsType<ErrorRecord>(Assert.Single(result.Objects.Skip(written.Count)));
        Assert.StartsWith("ServiceError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("1 rows read, the report is incomplete", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Get-PCPartnerLicenseUsage", new[] { "WorkloadName", "ServiceName", "Channel", "Usage%", "Processed" })]
    [InlineData("Get-PCPartnerLicenseDeployment", new[] { "ProductName", "ServiceName", "Channel", "Sold", "Deployed%", "Processed" })]
    public async Task The_default_view_shows_every_column_within_80_columns(string cmdlet, string[] columns)
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 5 });

        scenario.Run(cmdlet + " | Out-Default");

        var lines = scenario.Shell.ConsoleText.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        var header = lines.First(l => l.StartsWith(columns[0], StringComparison.Ordinal));
        Assert.Equal(columns, header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(header.Length <= 79, header);
        Assert.All(lines.SkipWhile(l => l != header).Skip(2), l => Assert.True(l.Length <= 79, l));
        Assert.Contains(lines, l => l.EndsWith("2026-11-01", StringComparison.Ordinal));
    }
}
