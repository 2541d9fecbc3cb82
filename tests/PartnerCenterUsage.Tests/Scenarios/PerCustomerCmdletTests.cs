using System.Management.Automation;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// The fan-out every cmdlet about each of several customers shares, written once and run for each of them: binding,
/// input order under concurrency, requests really in flight together, one customer's failure that customer's error,
/// progress that completes, stopping, tab completion.
/// </summary>
public sealed class PerCustomerCmdletTests
{
    /// <summary>Each per-customer cmdlet, the text of its requests' paths, and the rows the simulator has for a customer.</summary>
    private static readonly Dictionary<string, (string Path, string Subject, Func<SimulatedCustomer, int> Rows)> Cmdlets = new()
    {
        ["Get-PCCustomerLicenseUsage"] = ("/analytics/licenses/usage", "license usage", c => c.Usage.Count),
        ["Get-PCCustomerLicenseDeployment"] = ("/analytics/licenses/deployment", "license deployment", c => c.Deployment.Count),
        ["Get-PCCustomerSubscribedSku"] = ("/subscribedskus", "subscribed SKUs", c => c.SubscribedSkus.Count(s => s.LicenseGroupId == "Group1")),
        ["Get-PCCustomerSubscription"] = ("/subscriptions", "subscriptions", c => c.Subscriptions.Count(s => s.Status != "deleted")),
    };

    public static TheoryData<string> Names => [.. Cmdlets.Keys];

    private static SimulatorOptions Options(int customers = 30, TimeSpan? latency = null) =>
        new() { CustomerCount = customers, Latency = latency ?? TimeSpan.Zero };

    /// <summary>Customers with rows of <paramref name="cmdlet"/>'s kind, the seed example first if it has some.</summary>
    private static List<SimulatedCustomer> WithRows(ModuleScenario scenario, string cmdlet) =>
        scenario.Simulator.Data.Customers.Where(c => Cmdlets[cmdlet].Rows(c) > 0).ToList();

    private static List<Guid> CustomerRuns(IEnumerable<PSObject> rows)
    {
        var runs = new List<Guid>();
        foreach (var id in rows.Select(r => r.Prop<Guid>("CustomerId")))
        {
            if (runs.Count == 0 || runs[^1] != id)
            {
                runs.Add(id);
            }
        }

        return runs;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Customers_bind_from_strings_guids_objects_and_Get_PCCustomer_and_keep_their_order(string cmdlet)
    {
        await using var scenario = await ModuleScenario.StartAsync(Options());
        var c = WithRows(scenario, cmdlet).Take(4).ToList();

        var result = scenario.Run(
            $$"""
            @(
                $args[0].ToString()
                $args[1]
                [pscustomobject]@{ CustomerId = $args[2].ToString(); CompanyName = 'by CustomerId' }
                [pscustomobject]@{ Id = $args[3]; CompanyName = 'by Id' }
            ) | {{cmdlet}}
            """,
            c[0].Id, c[1].Id, c[2].Id, c[3].Id);
        var all = scenario.Run($"Get-PCCustomer | {cmdlet}");

        Assert.Empty(result.Errors);
        Assert.Equal(c.Select(x => x.Id), CustomerRuns(result.Output));
        Assert.Equal(c.Sum(Cmdlets[cmdlet].Rows), result.Output.Count);
        Assert.Empty(all.Errors);
        Assert.Equal(WithRows(scenario, cmdlet).Select(x => x.Id), CustomerRuns(all.Output));
        Assert.Equal(scenario.Simulator.Data.Customers.Sum(Cmdlets[cmdlet].Rows), all.Output.Count);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Customers_come_out_whole_and_in_input_order_when_answers_arrive_out_of_order(string cmdlet)
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 40));
        scenario.Clock.AutoAdvance = false;
        var input = WithRows(scenario, cmdlet).Select(c => c.Id).ToArray();
        Guid[] slow = [input[0], input[3]];
        foreach (var customer in slow)
        {
            scenario.Simulator.Faults.Add(new InjectedFault { StatusCode = 0, Delay = TimeSpan.FromSeconds(1), CustomerId = customer });
        }

        using var run = scenario.Shell.Begin($"$args[0] | {cmdlet} -ThrottleLimit 8", (object)input);
        var running = run.BeginInvoke();
        await Waits.UntilAsync(() => scenario.Simulator.Requests.Snapshot().Count(r => r.StatusCode == 200) == input.Length - slow.Length);
        await scenario.HeldAtTheSimulatorAsync(slow.Length);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        var rows = run.EndInvoke(running);

        Assert.Equal(input, CustomerRuns(rows));
        Assert.Equal(scenario.Simulator.Data.Customers.Sum(Cmdlets[cmdlet].Rows), rows.Count);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task ThrottleLimit_requests_are_in_flight_together_and_1_is_a_plain_loop(string cmdlet)
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 36, latency: TimeSpan.FromSeconds(1)));
        scenario.Clock.AutoAdvance = false;
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();
        using var run = scenario.Shell.Begin($"$args[0] | {cmdlet} -ThrottleLimit 6", (object)input);
        var running = run.BeginInvoke();

        await scenario.HeldAtTheSimulatorAsync(6);
        Assert.Equal(6, scenario.Simulator.Requests.Snapshot().Count);
        scenario.Clock.AutoAdvance = true;
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        run.EndInvoke(running);
        Assert.Equal(6, scenario.Simulator.MaxInFlight);

        // One at a time: each customer's rows are written before the next customer's request is sent.
        scenario.Simulator.Requests.Clear();
        var five = WithRows(scenario, cmdlet).Take(5).Select(c => c.Id).ToArray();
        var requestsAtEachFirstRow = scenario.Run(
            $"$sim = $args[1]; $last = $null; $args[0] | {cmdlet} -ThrottleLimit 1 | ForEach-Object {{ if ($_.CustomerId -ne $last) {{ $last = $_.CustomerId; $sim.Requests.Snapshot().Count }} }}",
            five, scenario.Simulator).Objects.Cast<int>();
        Assert.Equal(Enumerable.Range(1, five.Length), requestsAtEachFirstRow);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task One_customer_s_404_or_403_is_that_customer_s_error_and_the_others_come_out_whole(string cmdlet)
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 20));
        var customers = WithRows(scenario, cmdlet).Take(6).ToList();
        scenario.Simulator.Faults.Add(InjectedFault.Error(403, "20002", "The partner does not have a commerce relationship with the customer.", customers[1].Id));
        var unknown = Guid.NewGuid();
        var input = customers.Select(c => c.Id).Prepend(unknown).ToArray();

        var result = scenario.Run($"$args[0] | {cmdlet}", (object)input);

        Assert.Equal(2, result.Errors.Count);
        Assert.StartsWith("CustomerNotFound,", result.Errors[0].FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(unknown, result.Errors[0].TargetObject);
        Assert.StartsWith("AccessDenied,", result.Errors[1].FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(customers[1].Id, result.Errors[1].TargetObject);
        Assert.Contains($"Getting the {Cmdlets[cmdlet].Subject} of customer {customers[1].Id} failed", result.Errors[1].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Errors[1].ToString(), StringComparison.Ordinal);
        var expected = customers.Where((_, i) => i != 1).ToList();
        Assert.Equal(expected.Select(c => c.Id), CustomerRuns(result.Output));
        Assert.Equal(expected.Sum(Cmdlets[cmdlet].Rows), result.Output.Count);
    }

    /// <summary>Answers of another shape than the per-customer collections: not rows of unknowns, and no rows at all.</summary>
    public static TheoryData<string, string> NamesAndWrongShapes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var cmdlet in Cmdlets.Keys)
            {
                data.Add(cmdlet, """{"totalCount":1,"items":[{"status":"active","kind":"order"}]}""");
                data.Add(cmdlet, """{"id":"order-1","status":"active"}""");
                data.Add(cmdlet, """[{"productName":"a row outside any collection"}]""");
                data.Add(cmdlet, """{"totalCount":2,"items":"two"}""");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(NamesAndWrongShapes))]
    public async Task A_body_of_the_wrong_shape_is_InvalidResponse_for_that_customer_only(string cmdlet, string body)
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 20));
        var customers = WithRows(scenario, cmdlet).Take(3).ToList();
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(body, customerId: customers[1].Id));

        var result = scenario.Run($"$args[0] | {cmdlet}", (object)customers.Select(c => c.Id).ToArray());

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidResponse,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(customers[1].Id, error.TargetObject);
        Assert.Contains($"Getting the {Cmdlets[cmdlet].Subject} of customer {customers[1].Id} failed", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.Equal([customers[0].Id, customers[2].Id], CustomerRuns(result.Output));
        Assert.Equal(Cmdlets[cmdlet].Rows(customers[0]) + Cmdlets[cmdlet].Rows(customers[2]), result.Output.Count);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Progress_counts_the_customers_and_ends_with_a_completed_record(string cmdlet)
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 12));
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var result = scenario.Run($"{cmdlet} -CustomerId $args[0] -ThrottleLimit 4", (object)input);
        var piped = scenario.Run($"Get-PCCustomer | {cmdlet}");

        Assert.Contains(result.Progress, p => p.StatusDescription == $"{input.Length} of {input.Length} customers" && p.PercentComplete == 100);
        Assert.All(result.Progress, p => Assert.Equal("Getting " + Cmdlets[cmdlet].Subject, p.Activity));
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
        Assert.Contains(piped.Progress, p => p.StatusDescription == $"{input.Length} customers" && p.PercentComplete == -1);
        Assert.Equal(ProgressRecordType.Completed, piped.Progress[^1].RecordType);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Stopping_ends_every_request_in_flight_and_sends_none_afterwards(string cmdlet)
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 60, latency: TimeSpan.FromMinutes(1)));
        scenario.Clock.AutoAdvance = false;
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();
        using var run = scenario.Shell.Begin($"$args[0] | {cmdlet}", (object)input);

        var running = run.BeginInvoke();
        await Waits.UntilAsync(() => scenario.Simulator.InFlight == 8);
        await Task.Factory.FromAsync(run.BeginStop, run.EndStop, null).WaitAsync(TimeSpan.FromSeconds(10));

        await Waits.UntilAsync(() => scenario.Simulator.InFlight == 0);
        Assert.Equal(PSInvocationState.Stopped, run.InvocationStateInfo.State);
        Assert.True(running.IsCompleted);
        Assert.Equal(8, scenario.Simulator.Requests.Snapshot().Count);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_downstream_command_that_has_enough_ends_the_requests(string cmdlet)
    {
        // Answers take a simulated second, on a clock that moves only when the test moves it: the first two requests
        // are answered together, the next two are then held until the pipeline ends them. Without the clock, how many
        // answers come back before the first row reaches ForEach-Object is a race (customers are fetched well ahead).
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 60, latency: TimeSpan.FromSeconds(1)));
        scenario.Clock.AutoAdvance = false;
        var input = WithRows(scenario, cmdlet).Select(c => c.Id).ToArray();

        // 'break' outside a loop ends the whole pipeline at the first row, as Select-Object -First 1 does.
        using var run = scenario.Shell.Begin($"$args[0] | {cmdlet} -ThrottleLimit 2 | ForEach-Object {{ $_.CustomerId; break }}", (object)input);
        var running = run.BeginInvoke();
        await scenario.HeldAtTheSimulatorAsync(2);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        var first = run.EndInvoke(running);
        var sentWhenEnded = scenario.Simulator.Requests.Snapshot().Count;
        await Waits.UntilAsync(() => scenario.Simulator.InFlight == 0);

        Assert.Equal([input[0]], first.Select(o => (Guid)o.BaseObject));
        Assert.InRange(sentWhenEnded, 2, 4);
        Assert.Equal(sentWhenEnded, scenario.Simulator.Requests.Snapshot().Count);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task CustomerId_completes_customers_already_seen_and_the_command_declares_its_binding(string cmdlet)
    {
        await using var scenario = await ModuleScenario.StartAsync(Options());
        scenario.Run("Get-PCCustomer | Out-Null");

        var matches = scenario.Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches", $"{cmdlet} -CustomerId 4d3cf4")
            .Objects.Cast<CompletionResult>().ToList();
        var parameters = scenario.Run("(Get-Command $args[0]).Parameters['CustomerId'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }", cmdlet)
            .Objects.Cast<ParameterAttribute>().ToList();
        var aliases = scenario.Run("(Get-Command $args[0]).Parameters['CustomerId'].Aliases", cmdlet).Objects.Cast<string>();
        var badLimit = scenario.Run($"{cmdlet} -CustomerId $args[0] -ThrottleLimit 0", SimulatorOptions.SeedCustomerId);

        Assert.Equal(SimulatorOptions.SeedCustomerId.ToString(), Assert.Single(matches).CompletionText);
        Assert.All(parameters, p => Assert.True(p.ValueFromPipeline && p.ValueFromPipelineByPropertyName && p.Mandatory));
        Assert.Contains("Id", aliases);
        Assert.StartsWith("ParameterArgumentValidationError,", Assert.Single(badLimit.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
    }
}
