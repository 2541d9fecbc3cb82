using System.Management.Automation;
using System.Text.Json;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>Whole-portfolio runs: listing customers, concurrency, order, progress, throttling, faults and cancellation.</summary>
public sealed class PortfolioTests
{
    private static SimulatorOptions Options(int customers = 30, TimeSpan? latency = null, int maxPageSize = 500, NextLinkStyle links = NextLinkStyle.Relative) =>
        new() { CustomerCount = customers, Latency = latency ?? TimeSpan.Zero, MaxPageSize = maxPageSize, NextLinks = links };

    [Fact]
    public async Task Each_page_is_written_before_the_next_one_is_requested()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 30, maxPageSize: 10));

        var seenAtFirst = scenario.Run(
            "$sim = $args[0]; $first = $null; Get-PCCustomer | ForEach-Object { if ($null -eq $first) { $first = $sim.CustomerPagesServed } }; $first",
            scenario.Simulator).Objects.Single();

        Assert.Equal(1, seenAtFirst);
        Assert.Equal(4, scenario.Simulator.CustomerPagesServed);
    }

    [Theory]
    [InlineData("-CompanyName 'Contoso & Co+ \"Ltd\"'", "CompanyName", "Contoso & Co+ \"Ltd\"")]
    [InlineData("-CompanyName Fabrikam*", "CompanyName", "Fabrikam")]
    [InlineData("Fabrikam", "CompanyName", "Fabrikam")]
    [InlineData("-Domain customer001", "Domain", "customer001")]
    public async Task Filters_are_sent_as_encoded_starts_with_JSON_and_keep_the_matching_customers(string parameters, string field, string value)
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 40));

        var customers = scenario.Run("Get-PCCustomer " + parameters).Output;

        var query = System.Web.HttpUtility.ParseQueryString(scenario.Simulator.Requests.Snapshot()[0].Query);
        using var filter = JsonDocument.Parse(query["filter"]!);
        Assert.Equal(field, filter.RootElement.GetProperty("Field").GetString());
        Assert.Equal(value, filter.RootElement.GetProperty("Value").GetString());
        Assert.Equal("starts_with", filter.RootElement.GetProperty("Operator").GetString());
        var expected = scenario.Simulator.Data.Customers
            .Where(c => (field == "Domain" ? c.Domain : c.CompanyName).StartsWith(value, StringComparison.OrdinalIgnoreCase)).Select(c => c.Id);
        Assert.Equal(expected, customers.Select(c => c.Prop<Guid>("CustomerId")));
    }

    [Fact]
    public async Task Get_PCCustomer_by_id_gets_each_and_reports_an_unknown_one_without_stopping()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var known = scenario.Simulator.Data.Customers[3];
        var unknown = Guid.NewGuid();

        var result = scenario.Run("$args[0] | Get-PCCustomer", new[] { unknown, known.Id });

        var customer = Assert.Single(result.Output);
        Assert.Equal(known.CompanyName, customer.Prop("CompanyName"));
        Assert.Equal(known.Domain, customer.Prop("Domain"));
        Assert.Equal(known.TenantId, customer.Prop<Guid>("TenantId"));
        Assert.Equal(known.Relationship, customer.Prop("RelationshipToPartner"));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("CustomerNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(unknown, error.TargetObject);
    }

    [Fact]
    public async Task The_portfolio_report_streams_customers_into_usage_with_requests_really_in_flight_together()
    {
        // Every answer takes a simulated second that passes only when the test says: what is in flight stays there.
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 36, latency: TimeSpan.FromSeconds(1)));
        scenario.Clock.AutoAdvance = false;
        using var run = scenario.Shell.Begin("Get-PCCustomer | Get-PCCustomerLicenseUsage -ThrottleLimit 6");
        var running = run.BeginInvoke();
        await scenario.HeldAtTheSimulatorAsync(1);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));

        // The listing answered: six usage requests wait at the server together, and no seventh is sent.
        await scenario.HeldAtTheSimulatorAsync(6);
        Assert.Equal(1 + 6, scenario.Simulator.Requests.Snapshot().Count);
        scenario.Clock.AutoAdvance = true;
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        var rows = run.EndInvoke(running);

        Assert.Equal(scenario.Simulator.Data.Customers.Sum(c => c.Usage.Count), rows.Count);
        Assert.Equal(6, scenario.Simulator.MaxInFlight);
    }

    [Fact]
    public async Task Customers_come_out_whole_and_in_input_order_even_when_answers_arrive_out_of_order()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 50));
        scenario.Clock.AutoAdvance = false;
        var input = scenario.Simulator.Data.Customers.Where(c => c.Usage.Count > 0).Select(c => c.Id).ToArray();
        // The first and the fourth customers answer only when the test moves the clock: every other answer comes first.
        Guid[] slow = [input[0], input[3]];
        foreach (var customer in slow)
        {
            scenario.Simulator.Faults.Add(new InjectedFault { StatusCode = 0, Delay = TimeSpan.FromSeconds(1), CustomerId = customer });
        }

        using var run = scenario.Shell.Begin("$args[0] | Get-PCCustomerLicenseUsage -ThrottleLimit 8", (object)input);
        var running = run.BeginInvoke();
        await Waits.UntilAsync(() => scenario.Simulator.Requests.Snapshot().Count(r => r.StatusCode == 200) == input.Length - slow.Length);
        await scenario.HeldAtTheSimulatorAsync(slow.Length);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        var rows = run.EndInvoke(running);

        var runs = new List<Guid>();
        foreach (var id in rows.Select(r => r.Prop<Guid>("CustomerId")))
        {
            if (runs.Count == 0 || runs[^1] != id)
            {
                runs.Add(id);
            }
        }

        Assert.Equal(input, runs);
        Assert.Equal(scenario.Simulator.Data.Customers.Sum(c => c.Usage.Count), rows.Count);
    }

    [Fact]
    public async Task ThrottleLimit_1_is_a_plain_loop_each_customer_written_before_the_next_request()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 12, latency: TimeSpan.FromMilliseconds(20)));
        var input = scenario.Simulator.Data.Customers.Where(c => c.Usage.Count > 0).Select(c => c.Id).ToArray();

        var requestsAtEachFirstRow = scenario.Run(
            "$sim = $args[1]; $last = $null; $args[0] | Get-PCCustomerLicenseUsage -ThrottleLimit 1 | ForEach-Object { if ($_.CustomerId -ne $last) { $last = $_.CustomerId; $sim.Requests.Snapshot().Count } }",
            input, scenario.Simulator).Objects.Cast<int>();

        Assert.Equal(Enumerable.Range(1, input.Length), requestsAtEachFirstRow);
        Assert.Equal(1, scenario.Simulator.MaxInFlight);
    }

    [Fact]
    public async Task The_first_customers_rows_are_written_before_the_last_customers_request_is_sent()
    {
        // Answers take a simulated second that passes only when the test says so.
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 200, latency: TimeSpan.FromSeconds(1)));
        scenario.Clock.AutoAdvance = false;
        var seen = System.Collections.Hashtable.Synchronized(new System.Collections.Hashtable());
        using var run = scenario.Shell.Begin(
            "$sim = $args[0]; $seen = $args[1]; Get-PCCustomer | Get-PCCustomerLicenseUsage | ForEach-Object { if (-not $seen.Contains('first')) { $seen['first'] = $sim.Requests.Snapshot().Count } }",
            scenario.Simulator, seen);
        var running = run.BeginInvoke();
        await scenario.HeldAtTheSimulatorAsync(1);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        await scenario.HeldAtTheSimulatorAsync(8);

        // One simulated second: the first eight customers answer, and their rows are written while the next eight wait.
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        await Waits.UntilAsync(() => seen.Contains("first"));
        scenario.Clock.AutoAdvance = true;
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        run.EndInvoke(running);

        Assert.InRange((int)seen["first"]!, 1 + 8, 1 + 16);
        Assert.Equal(1 + scenario.Simulator.Data.Customers.Count, scenario.Simulator.Requests.Snapshot().Count);
    }

    [Fact]
    public async Task Progress_counts_customers_of_the_known_total_and_ends_with_a_completed_record()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 20, latency: TimeSpan.FromMilliseconds(30)));
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var result = scenario.Run("Get-PCCustomerLicenseUsage -CustomerId $args[0] -ThrottleLimit 4", (object)input);

        Assert.NotEmpty(result.Progress);
        Assert.All(result.Progress, p => Assert.Equal(result.Progress[0].ActivityId, p.ActivityId));
        Assert.Contains(result.Progress, p => p.StatusDescription == $"{input.Length} of {input.Length} customers" && p.PercentComplete == 100);
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }

    [Fact]
    public async Task Progress_from_the_pipeline_counts_customers_without_a_total()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 5));

        var result = scenario.Run("Get-PCCustomer | Get-PCCustomerLicenseUsage");

        Assert.Contains(result.Progress, p => p.StatusDescription == "6 customers" && p.PercentComplete == -1);
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_429_waits_the_Retry_After_in_seconds_or_as_a_date_then_succeeds_and_Verbose_shows_the_retry(bool asDate)
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var retryAfter = asDate ? scenario.Clock.GetUtcNow().AddSeconds(2).ToString("R") : "1";
        scenario.Simulator.Faults.Add(InjectedFault.Throttle(retryAfter, SimulatorOptions.SeedCustomerId, times: 1));

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0] -Verbose", SimulatorOptions.SeedCustomerId);

        Assert.Empty(result.Errors);
        Assert.Equal(5, result.Output.Count);
        var requests = scenario.Simulator.Requests.Snapshot();
        Assert.Equal(2, requests.Count);
        var waited = requests[1].ReceivedAt - requests[0].ReceivedAt;
        Assert.Equal(TimeSpan.FromSeconds(asDate ? 2 : 1), waited);
        Assert.Contains(result.Verbose, v => v.Contains("429", StringComparison.Ordinal) && v.Contains($"waiting {(asDate ? 2 : 1)}.0 s for Partner Center's throttling", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Verbose, v => v.Contains(SimulatorOptions.DefaultToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Under_a_rate_limit_the_run_backs_off_and_completes_without_hammering()
    {
        var options = Options(customers: 80, latency: TimeSpan.FromMilliseconds(50));
        options.RateLimit = 40;
        options.RateLimitBurst = 5;
        await using var scenario = await ModuleScenario.StartAsync(options);
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage -ThrottleLimit 16", input);

        Assert.Empty(result.Errors);
        Assert.Equal(scenario.Simulator.Data.Customers.Sum(c => c.Usage.Count), result.Output.Count);
        var requests = scenario.Simulator.Requests.Snapshot();
        var throttled = requests.Count(r => r.StatusCode == 429);
        Assert.True(throttled > 0, "the rate limit should have been hit");
        Assert.True(requests.Count < input.Length * 1.5, $"{requests.Count} requests for {input.Length} customers ({throttled} throttled)");
    }

    [Fact]
    public async Task A_spent_retry_limit_gives_each_customer_one_error_saying_how_many_attempts_failed_and_why()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 10), client: c => c.MaxRetryAttempts = 2);
        scenario.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Service unavailable."));
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", input);

        Assert.Empty(result.Output);
        Assert.Equal(input, result.Errors.Select(e => (Guid)e.TargetObject));
        Assert.All(result.Errors, e =>
        {
            Assert.StartsWith("ServiceError,", e.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("Gave up after 3 attempts (503 Service Unavailable, 503 Service Unavailable, 503 Service Unavailable)", e.ToString(), StringComparison.Ordinal);
        });
        Assert.Equal(input.Length * 3, scenario.Simulator.Requests.Snapshot().Count);
    }

    [Fact]
    public async Task The_run_s_retry_budget_bounds_the_retries_of_a_failing_service()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 120));
        scenario.Simulator.Faults.Add(InjectedFault.Error(500, "800003", "Unexpected service error."));
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", input);

        Assert.Equal(input, result.Errors.Select(e => (Guid)e.TargetObject));
        var requests = scenario.Simulator.Requests.Snapshot().Count;
        Assert.True(requests <= input.Length + 50 + (input.Length / 2) + 1, $"{requests} requests for {input.Length} customers");
        Assert.True(requests > input.Length, "some retries should have been made");
    }

    [Fact]
    public async Task With_5xx_429_and_dropped_connections_nothing_is_lost_and_nothing_doubled()
    {
        var options = Options(customers: 200);
        options.RandomFaults = new RandomFaults { ServerErrorRate = 0.10, ThrottleRate = 0.05, ThrottleRetryAfter = "1", DropRate = 0.02, Seed = 11 };
        await using var scenario = await ModuleScenario.StartAsync(options);

        var result = scenario.Run("Get-PCCustomer | Get-PCCustomerLicenseUsage");

        Assert.Empty(result.Errors);
        var expected = scenario.Simulator.Data.Customers.Where(c => c.Usage.Count > 0).ToList();
        var byCustomer = result.Output.GroupBy(r => r.Prop<Guid>("CustomerId")).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.Select(c => c.Id).Order(), byCustomer.Keys.Order());
        Assert.All(expected, c => Assert.Equal(c.Usage.Count, byCustomer[c.Id]));
        var requests = scenario.Simulator.Requests.Snapshot();
        Assert.Contains(requests, r => r.Dropped);
        Assert.Contains(requests, r => r.StatusCode == 429);
        Assert.Contains(requests, r => r.StatusCode >= 500);
    }

    [Fact]
    public async Task A_retry_after_no_answer_keeps_its_MS_RequestId_and_a_retry_after_an_answer_gets_a_new_one()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var customers = scenario.CustomersWithUsage(2);
        scenario.Simulator.Faults.Add(new InjectedFault { DropConnection = true, CustomerId = customers[0].Id, Times = 1 });
        scenario.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Busy.", customers[1].Id, times: 1));

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", new[] { customers[0].Id, customers[1].Id });

        Assert.Empty(result.Errors);
        var requests = scenario.Simulator.Requests.Snapshot();
        string[] Ids(Guid customer) => requests.Where(r => r.Path.Contains(customer.ToString(), StringComparison.Ordinal)).Select(r => r.Header("MS-RequestId")!).ToArray();
        Assert.Equal(2, Ids(customers[0].Id).Length);
        Assert.Single(Ids(customers[0].Id).Distinct());
        Assert.Equal(2, Ids(customers[1].Id).Distinct().Count());
    }

    [Fact]
    public async Task Stopping_the_pipeline_ends_every_request_in_flight_and_sends_none_afterwards()
    {
        // The answers would take a simulated minute: nothing comes back unless the requests are ended.
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 100, latency: TimeSpan.FromMinutes(1)));
        scenario.Clock.AutoAdvance = false;
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();
        using var run = scenario.Shell.Begin("$args[0] | Get-PCCustomerLicenseUsage -ThrottleLimit 8", (object)input);

        var running = run.BeginInvoke();
        await Waits.UntilAsync(() => scenario.Simulator.InFlight == 8);
        await Task.Factory.FromAsync(run.BeginStop, run.EndStop, null).WaitAsync(TimeSpan.FromSeconds(10));
        var sentWhenStopped = scenario.Simulator.Requests.Snapshot().Count;

        // The stopped command has waited for its requests to end: none is left on either side, and none can follow.
        await Waits.UntilAsync(() => scenario.Simulator.InFlight == 0);
        Assert.Equal(PSInvocationState.Stopped, run.InvocationStateInfo.State);
        Assert.True(running.IsCompleted);
        Assert.Equal(8, sentWhenStopped);
        Assert.Equal(sentWhenStopped, scenario.Simulator.Requests.Snapshot().Count);
    }

    [Fact]
    public async Task A_downstream_command_that_ends_the_pipeline_early_also_ends_the_requests_in_flight()
    {
        // Answers take a simulated second: the first eight arrive together when the test moves the clock, the next
        // ones stay in flight until the pipeline ends them.
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 60, latency: TimeSpan.FromSeconds(1)));
        scenario.Clock.AutoAdvance = false;
        var input = scenario.Simulator.Data.Customers.Where(c => c.Usage.Count > 0).Select(c => c.Id).ToArray();

        // 'break' outside a loop ends the whole pipeline at the first row, as Select-Object -First does.
        using var run = scenario.Shell.Begin("$args[0] | Get-PCCustomerLicenseUsage -ThrottleLimit 8 | ForEach-Object { break }", (object)input);
        var running = run.BeginInvoke();
        await scenario.HeldAtTheSimulatorAsync(8);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        run.EndInvoke(running);
        var sentWhenEnded = scenario.Simulator.Requests.Snapshot().Count;
        await Waits.UntilAsync(() => scenario.Simulator.InFlight == 0);

        Assert.InRange(sentWhenEnded, 8, 16);
        Assert.Equal(sentWhenEnded, scenario.Simulator.Requests.Snapshot().Count);
    }
}
