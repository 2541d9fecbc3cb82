using System.Management.Automation;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>Tab completion of -CustomerId, through TabExpansion2 as the console does it.</summary>
public sealed class CompletionTests
{
    private static List<CompletionResult> Complete(ModuleScenario scenario, string line) =>
        scenario.Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches", line)
            .Objects.Cast<CompletionResult>().ToList();

    [Fact]
    public async Task CustomerId_completes_customers_already_seen_by_company_name_without_asking_the_API()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Run("Get-PCCustomer | Out-Null");
        var requests = scenario.Simulator.Requests.Snapshot().Count;
        var expected = scenario.Simulator.Data.Customers.Where(c => c.CompanyName.StartsWith("Fab", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(expected);

        var matches = Complete(scenario, "Get-PCCustomerLicenseUsage -CustomerId Fab");

        Assert.Equal(expected.Select(c => c.Id.ToString()).Order(), matches.Select(m => m.CompletionText).Order());
        Assert.All(matches, m =>
        {
            var customer = expected.Single(c => c.Id.ToString() == m.CompletionText);
            Assert.Equal(customer.CompanyName, m.ListItemText);
            Assert.Contains(customer.CompanyName, m.ToolTip, StringComparison.Ordinal);
            Assert.Contains(customer.Domain, m.ToolTip, StringComparison.Ordinal);
        });
        Assert.Equal(requests, scenario.Simulator.Requests.Snapshot().Count);
    }

    [Fact]
    public async Task CustomerId_completes_an_id_prefix()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Run("Get-PCCustomer | Out-Null");

        var matches = Complete(scenario, "Get-PCCustomer -CustomerId 4d3cf4");

        var match = Assert.Single(matches);
        Assert.Equal(SimulatorOptions.SeedCustomerId.ToString(), match.CompletionText);
        Assert.Equal("DT DEMO CSP CUSTOMER 005", match.ListItemText);
    }

    [Fact]
    public async Task With_nothing_seen_yet_it_asks_the_API_once_by_name_prefix_and_then_remembers()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var expected = scenario.Simulator.Data.Customers.Where(c => c.CompanyName.StartsWith("Nor", StringComparison.OrdinalIgnoreCase)).Select(c => c.Id.ToString()).Order().ToList();
        Assert.NotEmpty(expected);

        var first = Complete(scenario, "Get-PCCustomerLicenseUsage -CustomerId Nor");
        var second = Complete(scenario, "Get-PCCustomerLicenseUsage -CustomerId 'Nor");

        Assert.Equal(expected, first.Select(m => m.CompletionText).Order());
        Assert.Equal(expected, second.Select(m => m.CompletionText).Order());
        var request = Assert.Single(scenario.Simulator.Requests.Snapshot());
        Assert.Contains("filter=", request.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customers_named_in_usage_rows_complete_too()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Run("Get-PCCustomerLicenseUsage $args[0] | Out-Null", SimulatorOptions.SeedCustomerId);

        var match = Assert.Single(Complete(scenario, "Get-PCCustomerLicenseUsage -CustomerId DT"));

        Assert.Equal(SimulatorOptions.SeedCustomerId.ToString(), match.CompletionText);
    }

    [Fact]
    public async Task A_slow_API_does_not_hold_the_prompt_and_not_connected_completes_nothing()
    {
        // The answer would take an hour; the completer gives up after two seconds of the connection's clock.
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { Latency = TimeSpan.FromHours(1) }, connect: false);
        scenario.Clock.AutoAdvance = false;
        Assert.Empty(Complete(scenario, "Get-PCCustomerLicenseUsage -CustomerId Con"));

        scenario.Connect();
        var completing = Task.Run(() => Complete(scenario, "Get-PCCustomerLicenseUsage -CustomerId Con"));
        await Waits.UntilAsync(() => scenario.Simulator.InFlight == 1);
        Assert.False(completing.IsCompleted);
        scenario.Clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Empty(await completing.WaitAsync(TimeSpan.FromSeconds(30)));
        await Waits.UntilAsync(() => scenario.Simulator.InFlight == 0);
    }
}
