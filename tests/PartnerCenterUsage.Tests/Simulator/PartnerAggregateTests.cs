using System.Text.Json;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>GET /v1/analytics/licenses/usage and /deployment: the partner-wide aggregates over every customer.</summary>
public sealed class PartnerAggregateTests
{
    private static List<JsonElement> Items(JsonElement body) => [.. body.GetProperty("items").EnumerateArray()];

    private static string Text(JsonElement item, string name) => item.GetProperty(name).GetString()!;

    private static long Long(JsonElement item, string name) => item.GetProperty(name).GetInt64();

    private static double Percent(long part, long whole) => Math.Round(100.0 * part / whole, 2);

    [Fact]
    public async Task Usage_has_one_item_per_workload_service_and_channel_with_the_prorated_usage_of_all_customers()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var body = await http.GetJsonAsync("/v1/analytics/licenses/usage");

        var expected = http.Data.UsageRows.Select(r => r.Row).GroupBy(u => (u.WorkloadName, u.ServiceName, u.Channel))
            .Select(g => (g.Key.WorkloadName, g.Key.ServiceName, g.Key.Channel, Math.Round(100.0 * g.Sum(u => u.LicensesActive) / g.Sum(u => u.LicensesQualified), 2)))
            .ToList();
        var items = Items(body);
        Assert.Equal(expected.Count, body.GetProperty("totalCount").GetInt32());
        Assert.Equal(expected, items.Select(i => (
            i.GetProperty("workloadName").GetString()!, i.GetProperty("serviceName").GetString()!, i.GetProperty("channel").GetString()!,
            i.GetProperty("proratedLicensesUsagePercent").GetDouble())));
        Assert.All(items, i => Assert.Equal(
            ["workloadName", "serviceName", "channel", "proratedLicensesUsagePercent", "processedDateTime", "attributes"], i.EnumerateObject().Select(p => p.Name)));
        Assert.All(items, i => Assert.Equal("PartnerLicensesUsageInsights", i.GetProperty("attributes").GetProperty("objectType").GetString()));
        Assert.Contains(items, i => i.GetProperty("processedDateTime").GetString() == "2026-11-01T00:00:00+00:00");
    }

    [Fact]
    public async Task Deployment_has_one_item_per_product_service_and_channel_with_the_sold_and_prorated_deployment_of_all_customers()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var body = await http.GetJsonAsync("/v1/analytics/licenses/deployment");

        var expected = http.Data.DeploymentRows.Select(r => r.Row).GroupBy(d => (d.ProductName, d.ServiceName, d.Channel))
            .Select(g => (g.Key.ProductName, g.Key.ServiceName, g.Key.Channel, g.Sum(d => d.LicensesSold),
                Math.Round(100.0 * g.Sum(d => d.LicensesDeployed) / g.Sum(d => d.LicensesSold), 2)))
            .ToList();
        var items = Items(body);
        Assert.Equal(expected.Count, body.GetProperty("totalCount").GetInt32());
        Assert.Equal(expected, items.Select(i => (
            i.GetProperty("productName").GetString()!, i.GetProperty("serviceName").GetString()!, i.GetProperty("channel").GetString()!,
            i.GetProperty("licensesSold").GetInt64(), i.GetProperty("proratedDeploymentPercent").GetDouble())));
        Assert.All(items, i => Assert.Equal(
            ["productName", "serviceName", "channel", "licensesSold", "proratedDeploymentPercent", "processedDateTime", "attributes"], i.EnumerateObject().Select(p => p.Name)));
        Assert.All(items, i => Assert.Equal("PartnerLicensesDeploymentInsights", i.GetProperty("attributes").GetProperty("objectType").GetString()));
    }

    [Fact]
    public async Task The_aggregates_are_the_sums_over_the_commercial_rows_of_every_customer()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 60 });

        var usageRows = (await http.GetPageAsync("/v1/analytics/commercial/usage/license")).Rows;
        var deploymentRows = (await http.GetPageAsync("/v1/analytics/commercial/deployment/license")).Rows;
        var usage = Items(await http.GetJsonAsync("/v1/analytics/licenses/usage"));
        var deployment = Items(await http.GetJsonAsync("/v1/analytics/licenses/deployment"));

        Assert.Equal(
            usageRows.GroupBy(r => (W: Text(r, "workloadName"), S: Text(r, "serviceName"), C: Text(r, "channel")))
                .Select(g => (g.Key.W, g.Key.S, g.Key.C, Percent(g.Sum(r => Long(r, "licensesActive")), g.Sum(r => Long(r, "licensesQualified"))))),
            usage.Select(i => (Text(i, "workloadName"), Text(i, "serviceName"), Text(i, "channel"), i.GetProperty("proratedLicensesUsagePercent").GetDouble())));
        Assert.Equal(
            deploymentRows.GroupBy(r => (P: Text(r, "productName"), S: Text(r, "serviceName"), C: Text(r, "channel")))
                .Select(g => (g.Key.P, g.Key.S, g.Key.C, g.Sum(r => Long(r, "licensesSold")), Percent(g.Sum(r => Long(r, "licensesDeployed")), g.Sum(r => Long(r, "licensesSold"))))),
            deployment.Select(i => (Text(i, "productName"), Text(i, "serviceName"), Text(i, "channel"), Long(i, "licensesSold"), i.GetProperty("proratedDeploymentPercent").GetDouble())));
    }

    [Fact]
    public async Task With_only_the_seed_customer_the_aggregates_are_its_rows_with_the_examples_date()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 0 });

        var usage = Items(await http.GetJsonAsync("/v1/analytics/licenses/usage"));
        var deployment = Items(await http.GetJsonAsync("/v1/analytics/licenses/deployment"));

        // Its five rows are three workloads (Exchange in three products) and three products, all in the reseller channel.
        Assert.Equal(["Exchange", "SharePoint", "Skype For Business"], usage.Select(i => i.GetProperty("workloadName").GetString()));
        Assert.All(usage, i => Assert.Equal(0.0, i.GetProperty("proratedLicensesUsagePercent").GetDouble()));
        Assert.Equal(3, deployment.Count);
        Assert.All(usage.Concat(deployment), i => Assert.Equal("2017-03-09T00:00:00+00:00", i.GetProperty("processedDateTime").GetString()));
    }
}
