using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>The filter of the commercial analytics: eq and ne, and binding tighter than or, parentheses, quoted values.</summary>
public sealed class CommercialFilterTests
{
    private const string UsagePath = "/v1/analytics/commercial/usage/license";
    private const string DeploymentPath = "/v1/analytics/commercial/deployment/license";

    private static readonly Dictionary<string, Func<SimulatedCustomer, SimulatedUsage, bool>> UsageFilters = new()
    {
        ["workloadName eq 'Exchange'"] = (_, u) => u.WorkloadName == "Exchange",
        ["WORKLOADNAME EQ 'exchange'"] = (_, u) => u.WorkloadName == "Exchange",
        ["channel ne 'reseller'"] = (_, u) => u.Channel != "reseller",
        ["workloadName eq 'Teams' or workloadName eq 'Exchange' and channel eq 'direct'"] =
            (_, u) => u.WorkloadName == "Teams" || (u.WorkloadName == "Exchange" && u.Channel == "direct"),
        ["channel eq 'direct' and workloadName eq 'Exchange' or workloadName eq 'Teams'"] =
            (_, u) => (u.Channel == "direct" && u.WorkloadName == "Exchange") || u.WorkloadName == "Teams",
        ["(workloadName eq 'Teams' or workloadName eq 'Exchange') and channel eq 'direct'"] =
            (_, u) => (u.WorkloadName == "Teams" || u.WorkloadName == "Exchange") && u.Channel == "direct",
        ["((channel eq 'direct')) And (workloadCode Ne 'EXO' OR productId eq '6FD2C87F-B296-42F0-B197-1E91E994B900')"] =
            (_, u) => u.Channel == "direct" && (u.WorkloadCode != "EXO" || u.ProductId == "6FD2C87F-B296-42F0-B197-1E91E994B900"),
        ["customerTenantId eq '4D3CF487-70F4-4E1E-9FF1-B2BFCE8D9F04'"] = (c, _) => c.Id == SimulatorOptions.SeedCustomerId,
        ["customerName eq 'DT DEMO CSP CUSTOMER 005'''"] = (_, _) => false,
        ["customerName ne 'it''s' and customerName eq 'DT DEMO CSP CUSTOMER 005'"] = (c, _) => c.Id == SimulatorOptions.SeedCustomerId,
        ["productName eq 'EXCHANGE ONLINE (PLAN 1)' and serviceCode eq '' and serviceName eq 'O365'"] =
            (_, u) => u.ProductName == "EXCHANGE ONLINE (PLAN 1)" && u.ServiceCode.Length == 0,
        ["  workloadName   eq'Exchange'and(channel eq'direct')  "] = (_, u) => u.WorkloadName == "Exchange" && u.Channel == "direct",
    };

    public static TheoryData<string> Filters => [.. UsageFilters.Keys];

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task A_filter_keeps_exactly_the_usage_rows_it_describes(string filter)
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 60 });

        var page = await http.GetPageAsync(UsagePath + "?filter=" + Uri.EscapeDataString(filter));

        var expected = http.Data.UsageRows.Where(r => UsageFilters[filter](r.Customer, r.Row))
            .Select(r => (r.Customer.Id, r.Row.ProductId, r.Row.WorkloadName)).ToList();
        Assert.Equal(expected, page.Rows.Select(r => (r.GetProperty("customerTenantId").GetGuid(), CommercialPage.Text(r, "productId"), CommercialPage.Text(r, "workloadName"))));
        Assert.Equal(expected.Count, page.TotalCount);
    }

    [Fact]
    public async Task The_filters_of_the_theory_are_not_trivial_on_the_generated_data()
    {
        var data = new SimulatorData(60, new SimulatorOptions().Seed);

        var counts = UsageFilters.Where(f => !f.Key.Contains("''", StringComparison.Ordinal))
            .Select(f => data.UsageRows.Count(r => f.Value(r.Customer, r.Row))).ToList();

        Assert.All(counts, count => Assert.InRange(count, 1, data.UsageRows.Count - 1));

        // Read left to right, without and binding tighter, the precedence filter would keep other rows.
        int Count(string filter) => data.UsageRows.Count(r => UsageFilters[filter](r.Customer, r.Row));
        Assert.NotEqual(
            Count("(workloadName eq 'Teams' or workloadName eq 'Exchange') and channel eq 'direct'"),
            Count("workloadName eq 'Teams' or workloadName eq 'Exchange' and channel eq 'direct'"));
    }

    [Theory]
    [InlineData("channel eq 'direct'")]
    [InlineData("productId ne '6FD2C87F-B296-42F0-B197-1E91E994B900' and (serviceName eq 'o365' or channel eq 'direct')")]
    public async Task The_deployment_rows_filter_the_same_way(string filter)
    {
        await using var http = await SimulatorHttp.StartAsync();

        var page = await http.GetPageAsync(DeploymentPath + "?filter=" + Uri.EscapeDataString(filter));

        var expected = http.Data.DeploymentRows.Where(r => filter.StartsWith("channel", StringComparison.Ordinal)
            ? r.Row.Channel == "direct"
            : r.Row.ProductId != "6FD2C87F-B296-42F0-B197-1E91E994B900").Select(r => (r.Customer.Id, r.Row.ProductId)).ToList();
        Assert.Equal(expected, page.Rows.Select(r => (r.GetProperty("customerTenantId").GetGuid(), CommercialPage.Text(r, "productId"))));
        Assert.Equal(expected.Count, page.TotalCount);
    }

    [Theory]
    [InlineData("workloadName eq Exchange")]
    [InlineData("workloadName eq 'Exchange")]
    [InlineData("workloadName = 'Exchange'")]
    [InlineData("workloadName gt 'Exchange'")]
    [InlineData("workloadName eq")]
    [InlineData("(workloadName eq 'Exchange'")]
    [InlineData("workloadName eq 'Exchange')")]
    [InlineData("workloadName eq 'Exchange' and")]
    [InlineData("workloadName eq 'Exchange' channel eq 'direct'")]
    [InlineData("and channel eq 'direct'")]
    [InlineData("()")]
    [InlineData("'Exchange' eq workloadName")]
    [InlineData("workloadName eq \"Exchange\"")]
    public async Task A_malformed_filter_is_a_400_with_a_Partner_Center_error_body(string filter)
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });

        var answer = await http.GetAsync(UsagePath + "?filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(400, answer.Status);
        Assert.Equal("400", answer.Json.GetProperty("code").GetString());
        Assert.StartsWith("Invalid filter: ", answer.Json.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("PartnerFD", answer.Json.GetProperty("source").GetString());
    }

    [Theory]
    [InlineData(UsagePath, "licensesActive eq '3'", "licensesActive")]
    [InlineData(UsagePath, "channel eq 'direct' or tenant eq 'x'", "tenant")]
    [InlineData(DeploymentPath, "workloadName eq 'Exchange'", "workloadName")]
    [InlineData(DeploymentPath, "workloadCode ne 'EXO'", "workloadCode")]
    public async Task An_unknown_field_is_a_400_naming_it(string path, string filter, string field)
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });

        var answer = await http.GetAsync(path + "?filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(400, answer.Status);
        Assert.StartsWith($"Invalid filter: unknown field '{field}'", answer.Json.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_filter_filters_nothing()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });

        var page = await http.GetPageAsync(UsagePath + "?filter=");

        Assert.Equal(http.Data.UsageRows.Count, page.TotalCount);
    }
}
