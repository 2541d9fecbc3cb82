using System.Management.Automation;
using System.Web;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Get-PCLicenseUsage: the whole portfolio from the commercial analytics, in a few requests, as the per-customer
/// cmdlet gets it one customer at a time; its filters, groups, paging and failures.
/// </summary>
public sealed class GetPCLicenseUsageTests
{
    private const string UsageRoute = "/analytics/commercial/usage/license";

    private static SimulatorOptions Options(int customers = 30, int pageSize = 10000) =>
        new() { CustomerCount = customers, CommercialMaxPageSize = pageSize };

    private static List<RecordedRequest> UsageRequests(ModuleScenario scenario) =>
        scenario.Simulator.Requests.Snapshot().Where(r => r.Path.EndsWith(UsageRoute, StringComparison.Ordinal)).ToList();

    private static string? Query(RecordedRequest request, string name) => HttpUtility.ParseQueryString(request.Query)[name];

    // The per-customer insights send usagePercent rounded to 2 decimals; the commercial rows' share is computed unrounded.
    private static string Row(PSObject row) => string.Join("|",
        row.Prop("CustomerId"), row.Prop("ProductName"), row.Prop("WorkloadName"), row.Prop("LicensesActive"), row.Prop("LicensesQualified"),
        row.Prop("LicensesInactive"), Math.Round(row.Prop<double>("UsagePercent"), 2));

    [Fact]
    public async Task The_portfolio_agrees_row_for_row_with_the_per_customer_cmdlet_in_one_request()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 40));

        var portfolio = scenario.Run("Get-PCLicenseUsage");
        var perCustomer = scenario.Run("Get-PCCustomer | Get-PCCustomerLicenseUsage");

        Assert.Empty(portfolio.Errors);
        Assert.Single(UsageRequests(scenario));
        // The documentation example customer's per-customer body is verbatim (another processing date, no codes).
        var seed = SimulatorOptions.SeedCustomerId;
        Assert.Equal(
            perCustomer.Output.Where(r => r.Prop<Guid>("CustomerId") != seed).Select(Row),
            portfolio.Output.Where(r => r.Prop<Guid>("CustomerId") != seed).Select(Row));
        Assert.All(portfolio.Output, r => Assert.Equal("PartnerCenterUsage.Models.CustomerLicenseUsage", r.TypeName()));
        var first = portfolio.Output.First(r => r.Prop<Guid>("CustomerId") != seed);
        var (customer, expected) = scenario.Simulator.Data.UsageRows.First(u => u.Customer.Id != seed);
        Assert.Equal(customer.CompanyName, first.Prop("CustomerName"));
        Assert.Equal(expected.ProductId, first.Prop("ProductId"));
        Assert.Equal(expected.ServiceCode, first.Prop("ServiceCode"));
        Assert.Equal(expected.WorkloadCode, first.Prop("WorkloadCode"));
        Assert.Equal(expected.Channel, first.Prop("Channel"));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), first.Prop<DateTimeOffset>("ProcessedDateTime"));
    }

    [Theory]
    [InlineData(CommercialNextLinkStyle.Relative, EnvelopeCasing.Pascal, "licensesActive")]
    [InlineData(CommercialNextLinkStyle.Absolute, EnvelopeCasing.Camel, "licenseActive")]
    [InlineData(CommercialNextLinkStyle.None, EnvelopeCasing.Pascal, "licenseActive")]
    [InlineData(CommercialNextLinkStyle.None, EnvelopeCasing.Camel, "licensesActive")]
    public async Task Pages_are_followed_by_next_link_or_by_skip_in_either_casing_and_spelling(CommercialNextLinkStyle links, EnvelopeCasing casing, string activeName)
    {
        var options = Options(customers: 30, pageSize: 25);
        options.CommercialNextLink = links;
        options.CommercialEnvelopeCasing = casing;
        options.UsageActiveFieldName = activeName;
        await using var scenario = await ModuleScenario.StartAsync(options);
        var expected = scenario.Simulator.Data.UsageRows;

        var result = scenario.Run("Get-PCLicenseUsage");

        Assert.Empty(result.Errors);
        Assert.Equal(expected.Select(u => (u.Customer.Id, u.Row.ProductName, u.Row.WorkloadName, u.Row.LicensesActive)),
            result.Output.Select(r => (r.Prop<Guid>("CustomerId"), (string)r.Prop("ProductName")!, (string)r.Prop("WorkloadName")!, r.Prop<long>("LicensesActive"))));
        var requests = UsageRequests(scenario);
        Assert.Equal((expected.Count + 24) / 25, requests.Count);
        Assert.All(requests, r => Assert.Equal("10000", Query(r, "top")));
    }

    [Theory]
    [InlineData(CommercialPathForm.DocumentedOnly, "/v1/analytics", 1)]
    [InlineData(CommercialPathForm.PartnerPrefixOnly, "/partner/v1/analytics", 2)]
    public async Task A_service_that_answers_one_path_form_is_found_once_and_then_asked_directly(CommercialPathForm form, string answered, int requestsOfTheFirstRun)
    {
        var options = Options(customers: 10, pageSize: 20);
        options.CommercialPaths = form;
        await using var scenario = await ModuleScenario.StartAsync(options);

        var first = scenario.Run("Get-PCLicenseUsage");
        var afterFirst = UsageRequests(scenario).Count;
        var second = scenario.Run("Get-PCLicenseUsage");

        Assert.Empty(first.Errors);
        Assert.Empty(second.Errors);
        Assert.Equal(scenario.Simulator.Data.UsageRows.Count, first.Output.Count);
        Assert.Equal(first.Output.Select(Row), second.Output.Select(Row));
        var pages = (scenario.Simulator.Data.UsageRows.Count + 19) / 20;
        Assert.Equal(pages + requestsOfTheFirstRun - 1, afterFirst);
        Assert.All(UsageRequests(scenario).Skip(afterFirst), r => Assert.StartsWith(answered, r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Values_of_a_filter_are_ORed_filters_ANDed_and_sent_to_the_service()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 30));
        var names = scenario.CustomersWithUsage(2).Select(c => c.CompanyName).ToArray();

        var result = scenario.Run("Get-PCLicenseUsage -CustomerName $args[0] -WorkloadName Exchange", (object)names);

        Assert.Empty(result.Errors);
        var expected = scenario.Simulator.Data.UsageRows.Where(u => names.Contains(u.Customer.CompanyName) && u.Row.WorkloadName == "Exchange").ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, result.Output.Count);
        Assert.Equal(
            $"(customerName eq '{names[0]}' or customerName eq '{names[1]}') and workloadName eq 'Exchange'",
            Query(Assert.Single(UsageRequests(scenario)), "filter"));
    }

    [Fact]
    public async Task A_wildcard_value_is_matched_here_case_insensitively_and_not_sent()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 40));
        var prefix = scenario.CustomersWithUsage(1)[0].CompanyName.Split(' ')[0];

        var result = scenario.Run("Get-PCLicenseUsage -CustomerName $args[0] -Channel reseller", prefix.ToUpperInvariant() + "*");

        var expected = scenario.Simulator.Data.UsageRows.Where(u => u.Customer.CompanyName.StartsWith(prefix, StringComparison.Ordinal) && u.Row.Channel == "reseller").ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, result.Output.Count);
        Assert.Equal("channel eq 'reseller'", Query(Assert.Single(UsageRequests(scenario)), "filter"));
    }

    [Fact]
    public async Task A_raw_filter_is_ANDed_with_the_rest_and_a_quote_in_a_value_is_doubled()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 10));

        var result = scenario.Run("Get-PCLicenseUsage -ProductName \"O'Brien's Suite\" -Filter \"channel eq 'direct' or channel eq 'reseller'\"");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal("productName eq 'O''Brien''s Suite' and (channel eq 'direct' or channel eq 'reseller')", Query(Assert.Single(UsageRequests(scenario)), "filter"));
    }

    [Fact]
    public async Task A_filter_the_service_refuses_is_RequestRejected_and_the_next_command_runs()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 10));

        var result = scenario.Run("Get-PCLicenseUsage -Filter \"customerName eq unquoted\"; 'next command'; Get-PCLicenseUsage -WorkloadName Exchange");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RequestRejected,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("400", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("customerName eq unquoted", error.TargetObject);
        Assert.Contains("next command", result.Objects);
        Assert.Equal(scenario.Simulator.Data.UsageRows.Count(u => u.Row.WorkloadName == "Exchange"), result.Output.Count(o => o.BaseObject is not string));
    }

    [Fact]
    public async Task Grouped_rows_carry_the_group_and_the_sums_and_nothing_made_up()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 30));

        var result = scenario.Run("Get-PCLicenseUsage -GroupBy ProductName, WorkloadName");

        Assert.Empty(result.Errors);
        var expected = scenario.Simulator.Data.UsageRows.GroupBy(u => (u.Row.ProductName, u.Row.WorkloadName)).ToList();
        Assert.Equal(expected.Count, result.Output.Count);
        Assert.Equal("productName,workloadName", Query(Assert.Single(UsageRequests(scenario)), "groupby"));
        foreach (var row in result.Output)
        {
            Assert.Equal("PartnerCenterUsage.Models.CustomerLicenseUsage#Grouped", row.TypeName());
            var group = expected.Single(g => g.Key == ((string)row.Prop("ProductName")!, (string)row.Prop("WorkloadName")!));
            Assert.Equal(group.Sum(u => u.Row.LicensesActive), row.Prop<long>("LicensesActive"));
            Assert.Equal(group.Sum(u => u.Row.LicensesQualified), row.Prop<long>("LicensesQualified"));
            Assert.Equal(group.Sum(u => u.Row.LicensesQualified - u.Row.LicensesActive), row.Prop<long>("LicensesInactive"));
            Assert.Null(row.Prop("CustomerId"));
            Assert.Null(row.Prop("CustomerName"));
            Assert.Null(row.Prop("ServiceName"));
            Assert.Null(row.Prop("Channel"));
        }
    }

    [Fact]
    public async Task Grouped_rows_show_as_a_table_of_the_group_and_its_counts()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 10));

        scenario.Run("Get-PCLicenseUsage -GroupBy CustomerName, ProductName | Out-Default");

        var lines = scenario.Shell.ConsoleText.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Equal(["Group", "Qualified", "Inactive", "Active", "Usage%"], lines.First(l => l.StartsWith("Group", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var (customer, row) = scenario.Simulator.Data.UsageRows.First(u => u.Customer.Id != SimulatorOptions.SeedCustomerId);
        var group = $"{customer.CompanyName} / {row.ProductName}";
        Assert.Contains(lines, l => l.StartsWith(group.Length > 59 ? group[..29] + "…" + group[^29..] : group, StringComparison.Ordinal));
        // The group and what qualifies and is inactive within 79 columns: what output 80 wide keeps (tests/Pester).
        var header = lines.First(l => l.StartsWith("Group", StringComparison.Ordinal));
        Assert.Equal(79, header.IndexOf("Inactive", StringComparison.Ordinal) + "Inactive".Length);
    }

    [Fact]
    public async Task An_unknown_GroupBy_name_is_refused_before_any_request()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        var error = scenario.Shell.InvokeTerminating("Get-PCLicenseUsage -GroupBy Customer");

        Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("CustomerName", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(scenario.Simulator.Requests.Snapshot());
    }

    [Fact]
    public async Task A_wildcard_on_a_property_grouped_away_is_refused_with_advice()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        var error = scenario.Shell.InvokeTerminating("Get-PCLicenseUsage -GroupBy ProductName -CustomerName 'Contoso*'");

        Assert.StartsWith("InvalidParameters,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("CustomerName", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(scenario.Simulator.Requests.Snapshot());
    }

    [Fact]
    public async Task ProcessedDateTime_asks_for_the_data_of_that_day()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 10));

        var thatDay = scenario.Run("Get-PCLicenseUsage -ProcessedDateTime ([datetime]'2026-11-01 13:45')");
        var otherDay = scenario.Run("Get-PCLicenseUsage -ProcessedDateTime 2026-10-01");

        Assert.Equal(scenario.Simulator.Data.UsageRows.Count, thatDay.Output.Count);
        Assert.Empty(otherDay.Output);
        Assert.Equal(["2026-11-01T00:00:00Z", "2026-10-01T00:00:00Z"], UsageRequests(scenario).Select(r => Query(r, "processedDateTime")));
    }

    [Fact]
    public async Task Piped_customers_are_asked_for_in_batches_of_ids()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 90));

        var result = scenario.Run("Get-PCCustomer | Get-PCLicenseUsage");

        Assert.Empty(result.Errors);
        Assert.Equal(scenario.Simulator.Data.UsageRows.Count, result.Output.Count);
        var requests = UsageRequests(scenario);
        Assert.Equal(3, requests.Count);
        Assert.Equal(40, Query(requests[0], "filter")!.Split(" or ").Length);
        Assert.StartsWith($"customerTenantId eq '{SimulatorOptions.SeedCustomerId.ToString("D").ToUpperInvariant()}'", Query(requests[0], "filter"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ids_piped_in_as_text_or_GUIDs_or_customers_select_those_customers_as_CustomerId_does()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 30));
        var ids = scenario.CustomersWithUsage(2).Select(c => c.Id).ToArray();
        var expected = scenario.Simulator.Data.UsageRows.Count(u => ids.Contains(u.Customer.Id));

        var typed = scenario.Run("Get-PCLicenseUsage -CustomerId $args[0]", (object)ids);
        var piped = new[]
        {
            scenario.Run("$args[0] | ForEach-Object { $_.ToString() } | Get-PCLicenseUsage", (object)ids),
            scenario.Run("$args[0] | ForEach-Object { $_.ToString('B').ToUpperInvariant() } | Get-PCLicenseUsage", (object)ids),
            scenario.Run("$args[0] | Get-PCLicenseUsage", (object)ids),
            scenario.Run("Get-PCCustomer -CustomerId $args[0] | Get-PCLicenseUsage", (object)ids),
            scenario.Run("Get-PCLicenseUsage -CustomerId $args[0] | Get-PCLicenseUsage", (object)ids),
        };

        Assert.Empty(typed.Errors);
        Assert.Equal(expected, typed.Output.Count);
        Assert.All(piped, run =>
        {
            Assert.Empty(run.Errors);
            Assert.Equal(typed.Output.Select(Row), run.Output.Select(Row));
        });
        // Every run asked the same one request the ids typed ask.
        Assert.Single(UsageRequests(scenario).Select(r => Query(r, "filter")).Distinct());
    }

    [Fact]
    public async Task An_input_that_binds_no_customer_is_an_error_of_its_own_and_the_other_ids_are_still_asked_for()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 30));
        var ids = scenario.CustomersWithUsage(2).Select(c => c.Id).ToArray();

        var mixed = scenario.Run("$args[0], 'not-a-guid', $null, 42, [pscustomobject]@{ CustomerId = $null }, $args[1] | Get-PCLicenseUsage", ids[0], ids[1]);
        var grouped = scenario.Run("Get-PCLicenseUsage -GroupBy ProductName | Get-PCLicenseUsage");
        var typedToo = scenario.Run("'not-a-guid' | Get-PCLicenseUsage -CustomerId $args[0]", ids[0]);

        Assert.Equal(["InputObjectNotBound", "ParameterArgumentValidationError", "InputObjectNotBound", "ParameterArgumentValidationError"], mixed.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Equal(ids, mixed.Output.Select(r => r.Prop<Guid>("CustomerId")).Distinct());
        Assert.Equal(scenario.Simulator.Data.UsageRows.Count(u => ids.Contains(u.Customer.Id)), mixed.Output.Count);

        // The sums of -GroupBy have no customer: each is an error, never a report of nobody that passes for an answer.
        Assert.Empty(grouped.Output);
        Assert.Equal(scenario.Simulator.Data.UsageRows.Select(u => u.Row.ProductName).Distinct().Count(), grouped.Errors.Count);
        Assert.All(grouped.Errors, e => Assert.StartsWith("ParameterArgumentValidationError,", e.FullyQualifiedErrorId, StringComparison.Ordinal));

        // The ids typed count when what is piped binds to nothing.
        Assert.Single(typedToo.Errors);
        Assert.Equal([ids[0]], typedToo.Output.Select(r => r.Prop<Guid>("CustomerId")).Distinct());
    }

    [Fact]
    public async Task No_piped_customer_means_no_rows_not_the_whole_portfolio()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 10));

        var piped = scenario.Run("Get-PCCustomer -CompanyName NoSuchCompany | Get-PCLicenseUsage");
        var empty = scenario.Run("Get-PCLicenseUsage -CustomerId @()");

        Assert.Empty(piped.Output);
        Assert.Empty(empty.Output);
        Assert.Empty(piped.Errors);
        Assert.Empty(UsageRequests(scenario));
    }

    [Fact]
    public async Task Groups_of_piped_customers_asked_for_in_several_batches_are_summed_across_them()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 90));

        var whole = scenario.Run("Get-PCLicenseUsage -GroupBy ProductName").Output;
        var piped = scenario.Run("Get-PCCustomer | Get-PCLicenseUsage -GroupBy ProductName").Output;

        Assert.Equal(3, UsageRequests(scenario).Count - 1);
        Assert.Equal(
            whole.Select(r => (r.Prop("ProductName"), r.Prop("LicensesActive"), r.Prop("LicensesQualified"))).OrderBy(r => r.ToString()),
            piped.Select(r => (r.Prop("ProductName"), r.Prop("LicensesActive"), r.Prop("LicensesQualified"))).OrderBy(r => r.ToString()));
        Assert.All(piped, r => Assert.Equal("PartnerCenterUsage.Models.CustomerLicenseUsage#Grouped", r.TypeName()));
    }

    [Fact]
    public async Task ProcessedDateTime_takes_a_row_s_own_date_and_reads_the_day_on_the_value_s_clock()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 5));

        var result = scenario.Run(
            "Get-PCLicenseUsage -ProcessedDateTime ([datetimeoffset]'2026-11-01T00:00:00-05:00') | ForEach-Object { }; " +
            "$date = (Get-PCLicenseUsage -CustomerId $args[0])[0].ProcessedDateTime; @(Get-PCLicenseUsage -ProcessedDateTime $date).Count",
            scenario.CustomersWithUsage(1)[0].Id);

        Assert.Empty(result.Errors);
        Assert.Equal(["2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"], UsageRequests(scenario).Select(r => Query(r, "processedDateTime")).Where(q => q is not null));
        Assert.Equal(scenario.Simulator.Data.UsageRows.Count, result.Objects.OfType<int>().Last());
    }

    [Fact]
    public async Task A_value_with_brackets_matches_as_written_and_an_escaped_one_is_sent_unescaped()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 5));
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(
            """{"Value": [{"customerName": "Contoso [EU]", "productName": "E3", "licensesActive": 1, "licensesQualified": 2}, {"customerName": "Contoso E", "productName": "E3", "licensesActive": 1, "licensesQualified": 2}], "@nextLink": null}""",
            pathContains: UsageRoute));

        var literal = scenario.Run("Get-PCLicenseUsage -CustomerName 'Contoso [EU]'").Output;
        scenario.Run("Get-PCLicenseUsage -CustomerName 'Contoso `[EU`]'");

        Assert.Equal(["Contoso [EU]", "Contoso E"], literal.Select(r => (string)r.Prop("CustomerName")!));
        Assert.Null(Query(UsageRequests(scenario)[0], "filter"));
        Assert.Equal("customerName eq 'Contoso [EU]'", Query(UsageRequests(scenario)[1], "filter"));
    }

    [Fact]
    public async Task A_page_that_fails_once_is_retried_and_nothing_is_lost()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 30, pageSize: 20));
        scenario.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Busy.", times: 1, pathContains: UsageRoute, skipFirst: 1));

        var result = scenario.Run("Get-PCLicenseUsage");

        Assert.Empty(result.Errors);
        Assert.Equal(scenario.Simulator.Data.UsageRows.Count, result.Output.Count);
        Assert.Contains(UsageRequests(scenario), r => r.StatusCode == 503);
    }

    [Fact]
    public async Task A_page_that_keeps_failing_ends_the_report_with_an_error_after_the_rows_already_written()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 30, pageSize: 20), client: c => c.MaxRetryAttempts = 2);
        scenario.Simulator.Faults.Add(InjectedFault.Error(503, "503", "Busy.", pathContains: UsageRoute, skipFirst: 1));

        var result = scenario.Run("Get-PCLicenseUsage 2>&1");

        var written = result.Objects.TakeWhile(o => o is not ErrorRecord).ToList();
        Assert.Equal(20, written.Count);
        var error = Assert.IsType<ErrorRecord>(Assert.Single(result.Objects.Skip(written.Count)));
        Assert.StartsWith("ServiceError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("20 rows read, the report is incomplete", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Gave up after 3 attempts", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_404_to_the_report_is_ResourceNotFound_not_CustomerNotFound()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Simulator.Faults.Add(InjectedFault.Error(404, "1000", "Resource not found.", pathContains: UsageRoute));

        var error = Assert.Single(scenario.Run("Get-PCLicenseUsage").Errors);

        Assert.StartsWith("ResourceNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Single(UsageRequests(scenario));
    }

    [Fact]
    public async Task Ending_the_pipeline_at_the_first_row_stops_the_paging()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 60, pageSize: 10));

        scenario.Run("Get-PCLicenseUsage | ForEach-Object { break }");

        // The first page, and at most the one fetched ahead while it was written.
        Assert.InRange(UsageRequests(scenario).Count, 1, 2);
    }

    [Fact]
    public async Task Progress_counts_the_rows_read_of_the_total_and_completes()
    {
        await using var scenario = await ModuleScenario.StartAsync(Options(customers: 30, pageSize: 20));
        var total = scenario.Simulator.Data.UsageRows.Count;

        var result = scenario.Run("Get-PCLicenseUsage");

        Assert.Contains(result.Progress, p => p.StatusDescription.StartsWith($"20 of {total} rows read", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.StatusDescription.StartsWith($"{total} of {total} rows read", StringComparison.Ordinal) && p.PercentComplete == 100);
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }
}
