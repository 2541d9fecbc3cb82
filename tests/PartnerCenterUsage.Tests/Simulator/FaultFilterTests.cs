using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>InjectedFault.PathContains and SkipFirst: faults for one route, and for a later request rather than the first.</summary>
public sealed class FaultFilterTests
{
    private const string UsagePath = "/v1/analytics/commercial/usage/license";

    [Fact]
    public async Task PathContains_faults_only_requests_whose_path_contains_it_in_any_case()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });
        http.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Busy.", pathContains: "COMMERCIAL/USAGE"));

        var other = await http.GetAsync("/v1/analytics/commercial/deployment/license");
        var customer = await http.GetAsync($"/v1/customers/{SimulatorOptions.SeedCustomerId}/analytics/licenses/usage");
        var usage = await http.GetAsync(UsagePath);
        var prefixed = await http.GetAsync("/partner" + UsagePath);

        Assert.Equal([200, 200, 503, 503], new[] { other.Status, customer.Status, usage.Status, prefixed.Status });
    }

    [Fact]
    public async Task PathContains_looks_at_the_path_not_the_query()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });
        http.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Busy.", pathContains: "skip"));

        var answer = await http.GetAsync(UsagePath + "?skip=1");

        Assert.Equal(200, answer.Status);
    }

    [Fact]
    public async Task SkipFirst_fails_the_second_page_and_the_retry_succeeds()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 30, CommercialMaxPageSize = 10 });
        http.Simulator.Faults.Add(InjectedFault.Error(500, "800003", "Unexpected service error.", times: 1, pathContains: "/commercial/", skipFirst: 1));

        var first = await http.GetPageAsync(UsagePath);
        var failed = await http.GetAsync(first.NextLink!);
        var retried = await http.GetAsync(first.NextLink!);

        Assert.Equal((500, 200), (failed.Status, retried.Status));
        Assert.Equal("800003", failed.Json.GetProperty("code").GetString());
        Assert.Equal(10, CommercialPage.Read(retried.Json).Rows.Count);
    }

    [Fact]
    public async Task Requests_of_other_paths_do_not_count_toward_SkipFirst()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });
        http.Simulator.Faults.Add(InjectedFault.Throttle("5", pathContains: "/deployment/", skipFirst: 2));

        var statuses = new List<int>();
        foreach (var path in (string[])[UsagePath, "/v1/analytics/commercial/deployment/license", UsagePath, "/partner/v1/analytics/commercial/deployment/license", "/v1/analytics/commercial/deployment/license", "/v1/analytics/commercial/deployment/license"])
        {
            statuses.Add((await http.GetAsync(path)).Status);
        }

        Assert.Equal([200, 200, 200, 200, 429, 429], statuses);
    }

    [Fact]
    public async Task CustomerId_and_PathContains_must_both_match()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });
        var other = http.Data.Customers[1].Id;
        http.Simulator.Faults.Add(InjectedFault.Error(403, "20002", "No relationship.", SimulatorOptions.SeedCustomerId, pathContains: "/subscribedskus"));

        var seedUsage = await http.GetAsync($"/v1/customers/{SimulatorOptions.SeedCustomerId}/analytics/licenses/usage");
        var otherSkus = await http.GetAsync($"/v1/customers/{other}/subscribedskus");
        var seedSkus = await http.GetAsync($"/v1/customers/{SimulatorOptions.SeedCustomerId}/subscribedskus");

        Assert.Equal([200, 200, 403], new[] { seedUsage.Status, otherSkus.Status, seedSkus.Status });
    }

    [Fact]
    public async Task A_request_a_fault_lets_pass_may_meet_the_next_fault()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });
        http.Simulator.Faults.Add(InjectedFault.Error(500, "500", "Second.", times: 1, skipFirst: 1));
        http.Simulator.Faults.Add(InjectedFault.Error(503, "503", "First.", times: 1));

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await http.GetAsync(UsagePath)).Status);
        }

        Assert.Equal([503, 500, 200], statuses);
    }
}
