using System.Management.Automation;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Throttling waited out: a storm of refusals pauses the run instead of failing customers or hammering the service,
/// and the run gives up only after the throttled time the connection allows. Simulated time: no test waits.
/// </summary>
public sealed class ThrottlingTests
{
    private const int WaitingActivityId = 0x5046;

    [Theory]
    [InlineData(5)]
    [InlineData(30)]
    public async Task A_throttling_storm_is_waited_out_without_losing_a_customer_or_hammering_the_service(int seconds)
    {
        var options = new SimulatorOptions { CustomerCount = 300, Latency = TimeSpan.FromMilliseconds(50), ThrottleStorm = TimeSpan.FromSeconds(seconds) };
        await using var scenario = await ModuleScenario.StartAsync(options);
        await using var time = scenario.RunVirtualTime();
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", (object)input);

        Assert.Empty(result.Errors);
        Assert.Equal(scenario.Simulator.Data.Customers.Sum(c => c.Usage.Count), result.Output.Count);
        // The run paused while the storm lasted: a few refusals per second of storm, not one per customer and retry,
        // and it went on when the storm ended, not much later.
        Assert.InRange(scenario.Simulator.StormRefusals, seconds / 2, 10 * (seconds + 1));
        Assert.InRange(scenario.Clock.Elapsed, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds * 1.5 + 5));
        Assert.Contains(result.Progress, p => p.ActivityId == WaitingActivityId && p.StatusDescription.StartsWith("Waiting ", StringComparison.Ordinal) && p.StatusDescription.Contains(" s for Partner Center's throttling", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.ActivityId == WaitingActivityId && p.RecordType == ProgressRecordType.Completed);
    }

    [Fact]
    public async Task A_storm_that_strikes_a_run_at_full_speed_pauses_it_and_the_run_is_back_at_full_speed_when_it_ends()
    {
        // 2 s into the run, listing done and 8 requests in flight, every request is refused for 10 s. Unthrottled the
        // run takes about 5 s (801 requests, 8 at a time, 50 ms each).
        var options = new SimulatorOptions
        {
            CustomerCount = 800, Latency = TimeSpan.FromMilliseconds(50),
            ThrottleStorm = TimeSpan.FromSeconds(10), ThrottleStormAfter = TimeSpan.FromSeconds(2),
        };
        await using var scenario = await ModuleScenario.StartAsync(options);
        await using var time = scenario.RunVirtualTime();

        var result = scenario.Run("Get-PCCustomer | Get-PCCustomerLicenseUsage");

        Assert.Empty(result.Errors);
        Assert.Equal(scenario.Simulator.Data.Customers.Sum(c => c.Usage.Count), result.Output.Count);
        // Paused: a few refusals a second, not one per customer.
        Assert.InRange(scenario.Simulator.StormRefusals, 10, 60);
        // The storm's refusals say nothing of how many requests at once the service takes: when it ends the run climbs
        // back to its 8 requests at once within a few dozen answers, so it ends about a Retry-After after storm + 5 s.
        Assert.InRange(scenario.Clock.Elapsed, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(17.5));
    }

    [Fact]
    public async Task Throttling_waits_spend_neither_a_request_s_retries_nor_the_run_s_retry_budget()
    {
        // Eight refusals in a row for one customer, more than its five retries: still answered in the end.
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 5 });
        scenario.Simulator.Faults.Add(InjectedFault.Throttle("2", SimulatorOptions.SeedCustomerId, times: 8));

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Empty(result.Errors);
        Assert.Equal(5, result.Output.Count);
        Assert.Equal(9, scenario.Simulator.Requests.Snapshot().Count);
        Assert.Equal(TimeSpan.FromSeconds(16), scenario.Clock.Elapsed);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(3, 2)]
    public async Task A_request_retries_failures_at_most_MaxRetryCount_times_in_all_whatever_throttling_comes_between(int maxRetries, int failuresEachSide)
    {
        // One customer answered 503 n times, then 429, then 503 n times, then the real answer: the refusal is waited out
        // without a retry, and the count of failure retries goes on after it instead of starting again, so the request
        // gives up before the answer. (Counting again after the 429, it got through: 12 sends for 5 retries.)
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 5 }, client: c => c.MaxRetryAttempts = maxRetries);
        var customer = SimulatorOptions.SeedCustomerId;
        scenario.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Service unavailable.", customer, times: failuresEachSide));
        scenario.Simulator.Faults.Add(InjectedFault.Throttle("2", customer, times: 1));
        scenario.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Service unavailable.", customer, times: failuresEachSide));

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", customer);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ServiceError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        // The first send and its failure retries, and the send again after the refusal, which is no retry.
        var statuses = scenario.Simulator.Requests.Snapshot().Select(r => r.StatusCode ?? 0).ToList();
        Assert.Equal(maxRetries + 1, statuses.Count(s => s == 503));
        Assert.Equal(1, statuses.Count(s => s == 429));
        Assert.Equal(maxRetries + 2, statuses.Count);
        Assert.DoesNotContain(200, statuses);
        Assert.Contains($"Gave up after {statuses.Count} attempts", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_between_failures_does_not_cost_a_retry_and_the_request_succeeds_within_its_limit()
    {
        // 503 twice, 429, 503 twice, then the answer: four failure retries of five, and the refusal waited out.
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 5 });
        var customer = SimulatorOptions.SeedCustomerId;
        scenario.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Service unavailable.", customer, times: 2));
        scenario.Simulator.Faults.Add(InjectedFault.Throttle("2", customer, times: 1));
        scenario.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Service unavailable.", customer, times: 2));

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", customer);

        Assert.Empty(result.Errors);
        Assert.Equal(5, result.Output.Count);
        Assert.Equal([503, 503, 429, 503, 503, 200], scenario.Simulator.Requests.Snapshot().Select(r => r.StatusCode ?? 0));
    }

    [Fact]
    public async Task A_storm_longer_than_the_throttle_wait_reports_the_customers_it_could_not_get_as_Throttled()
    {
        var options = new SimulatorOptions { CustomerCount = 20, ThrottleStorm = TimeSpan.FromMinutes(10) };
        await using var scenario = await ModuleScenario.StartAsync(options, client: c => c.MaxThrottleWait = TimeSpan.FromSeconds(30));
        // Waits that begin together end together, however busy the machine is: with each wait ending at once instead, a
        // wait armed a moment late (the machine busy) ran the clock past the others' ends, 38 s once under load.
        await using var time = scenario.RunVirtualTime();
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", (object)input);

        Assert.Empty(result.Output);
        Assert.Equal(input, result.Errors.Select(e => (Guid)e.TargetObject));
        Assert.All(result.Errors, e => Assert.StartsWith("Throttled,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        // Gave up after about the throttled time allowed, not the storm's ten minutes.
        Assert.InRange(scenario.Clock.Elapsed, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(35));
    }

    [Fact]
    public async Task Waiting_out_throttling_spends_none_of_a_request_s_own_two_minutes()
    {
        // A storm of 200 s with Retry-After 100: every request waits longer than -MaxRequestDuration allows a request
        // to take, for its turn, the run's pause or its own Retry-After. None of that is the request's own time.
        var options = new SimulatorOptions { CustomerCount = 20, ThrottleStorm = TimeSpan.FromSeconds(200), ThrottleStormRetryAfter = "100" };
        await using var scenario = await ModuleScenario.StartAsync(options);
        await using var time = scenario.RunVirtualTime();
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var result = await Task.Run(() => scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", (object)input));

        Assert.Empty(result.Errors);
        Assert.Equal(scenario.Simulator.Data.Customers.Sum(c => c.Usage.Count), result.Output.Count);
        Assert.InRange(scenario.Clock.Elapsed, TimeSpan.FromSeconds(200), TimeSpan.FromSeconds(320));
    }

    [Fact]
    public async Task The_run_waits_out_throttling_while_MaxThrottleWait_covers_each_wait_the_service_asks_for()
    {
        // 230 s of refusals with Retry-After 120, within the 300 s the run may wait: two full waits, 60 s left unused. The
        // storm ends 10 s before the second wait does, so that a request resent a moment early (a loaded machine's
        // simulated time) is not refused a third time at the storm's very edge.
        var options = new SimulatorOptions { CustomerCount = 20, ThrottleStorm = TimeSpan.FromSeconds(230), ThrottleStormRetryAfter = "120" };
        await using var scenario = await ModuleScenario.StartAsync(options, client: c => c.MaxThrottleWait = TimeSpan.FromMinutes(5));
        await using var time = scenario.RunVirtualTime();
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var result = await Task.Run(() => scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", (object)input));

        Assert.Empty(result.Errors);
        Assert.Equal(scenario.Simulator.Data.Customers.Sum(c => c.Usage.Count), result.Output.Count);
    }

    [Fact]
    public async Task A_wait_MaxThrottleWait_cannot_cover_is_not_shortened_and_nothing_is_sent_before_the_time_asked_for()
    {
        // 270 s of refusals with Retry-After 120 and 300 s allowed: two full waits, then a third refusal asks for 120 s
        // with 60 s left. The run used to wait those 60 s and send every request again 60 s before the time the service
        // asked for; now it gives up at once, and nothing more is sent, the customers not sent yet included.
        var options = new SimulatorOptions { CustomerCount = 20, ThrottleStorm = TimeSpan.FromSeconds(270), ThrottleStormRetryAfter = "120" };
        await using var scenario = await ModuleScenario.StartAsync(options, client: c => c.MaxThrottleWait = TimeSpan.FromMinutes(5));
        await using var time = scenario.RunVirtualTime();
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var result = await Task.Run(() => scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", (object)input));

        Assert.Empty(result.Output);
        Assert.Equal(input, result.Errors.Select(e => (Guid)e.TargetObject));
        Assert.All(result.Errors, e =>
        {
            Assert.StartsWith("Throttled,", e.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("more than the run's throttling budget has left (only 1 min of 5 min, the rest spent waiting out throttling)", e.ToString(), StringComparison.Ordinal);
            Assert.Contains("-MaxThrottleWait", e.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        });
        var started = scenario.Simulator.StormStartedAt!.Value;
        var sent = scenario.Simulator.Requests.Snapshot().Select(r => r.ReceivedAt - started).ToList();
        // Sent at the start, after 120 s and after 240 s, each time the service said: never in between, never after.
        Assert.All(sent, at => Assert.True(
            at < TimeSpan.FromSeconds(1) || (at >= TimeSpan.FromSeconds(120) && at < TimeSpan.FromSeconds(121)) || (at >= TimeSpan.FromSeconds(240) && at < TimeSpan.FromSeconds(241)),
            $"a request was sent {at.TotalSeconds:0.###} s into the storm"));
        Assert.InRange(scenario.Clock.Elapsed, TimeSpan.FromSeconds(240), TimeSpan.FromSeconds(245));
    }

    [Theory]
    [InlineData(150, "1")]
    [InlineData(100, "110")]
    [InlineData(60, "60")]
    public async Task A_storm_within_MaxThrottleWait_fails_no_customer_and_a_long_wait_is_said_once(int seconds, string retryAfter)
    {
        var options = new SimulatorOptions { CustomerCount = 300, Latency = TimeSpan.FromMilliseconds(50), ThrottleStorm = TimeSpan.FromSeconds(seconds), ThrottleStormRetryAfter = retryAfter };
        await using var scenario = await ModuleScenario.StartAsync(options);
        await using var time = scenario.RunVirtualTime();
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var result = await Task.Run(() => scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", (object)input));

        Assert.Empty(result.Errors);
        Assert.Equal(scenario.Simulator.Data.Customers.Sum(c => c.Usage.Count), result.Output.Count);
        Assert.InRange(result.Warnings.Count, int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture) >= 30 ? 1 : 0, 2);
    }

    [Fact]
    public async Task With_no_retries_of_failures_throttling_is_still_waited_out()
    {
        await using var scenario = await ModuleScenario.StartAsync(client: c => c.MaxRetryAttempts = 0);
        scenario.Simulator.Faults.Add(InjectedFault.Throttle("2", SimulatorOptions.SeedCustomerId, times: 3));

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Empty(result.Errors);
        Assert.Equal(5, result.Output.Count);
    }

    [Theory]
    [InlineData("Get-PCCustomerLicenseUsage $args[0]", true)]
    [InlineData("Get-PCCustomerSubscribedSku $args[0]", true)]
    [InlineData("Get-PCLicenseUsage", false)]
    [InlineData("Get-PCPartnerLicenseUsage", false)]
    public async Task The_advice_for_Throttled_names_ThrottleLimit_only_where_the_command_has_it(string script, bool named)
    {
        await using var scenario = await ModuleScenario.StartAsync(client: c => c.MaxThrottleWait = TimeSpan.Zero);
        scenario.Simulator.Faults.Add(InjectedFault.Throttle("5"));

        var result = scenario.Run("try { " + script + " } catch { Write-Error -ErrorRecord $_ }", SimulatorOptions.SeedCustomerId);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("Throttled,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("-MaxThrottleWait", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(named, error.ErrorDetails.RecommendedAction.Contains("-ThrottleLimit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_long_wait_is_said_without_Verbose()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Simulator.Faults.Add(InjectedFault.Throttle("100", SimulatorOptions.SeedCustomerId, times: 1));

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Empty(result.Errors);
        Assert.Contains(result.Warnings, w => w.Contains("waiting 100 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_portfolio_report_waits_out_a_storm_too()
    {
        var options = new SimulatorOptions { CustomerCount = 40, CommercialMaxPageSize = 20, ThrottleStorm = TimeSpan.FromSeconds(20) };
        await using var scenario = await ModuleScenario.StartAsync(options);

        var result = scenario.Run("Get-PCLicenseUsage");

        Assert.Empty(result.Errors);
        Assert.Equal(scenario.Simulator.Data.UsageRows.Count, result.Output.Count);
    }
}
