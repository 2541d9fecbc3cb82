using System.Management.Automation;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>Bad input and failures: a clear error with a stable ErrorId, and nothing else in the pipeline lost.</summary>
public sealed class ErrorHandlingTests
{
    [Fact]
    public async Task Without_Connect_the_command_stops_with_NotConnected_and_sends_nothing()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);

        var error = scenario.RunTerminating("Get-PCCustomerLicenseUsage -CustomerId $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.StartsWith("NotConnected,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains("Connect-PCPartner", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(scenario.Simulator.Requests.Snapshot());
    }

    [Fact]
    public async Task A_customer_id_that_is_not_a_guid_is_refused_by_parameter_binding_before_any_request()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        var error = scenario.RunTerminating("Get-PCCustomerLicenseUsage -CustomerId 'contoso.onmicrosoft.com'");

        Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(scenario.Simulator.Requests.Snapshot());
    }

    [Fact]
    public async Task A_piped_value_that_is_not_a_guid_fails_alone_and_the_next_customer_is_still_processed()
    {
        await using var scenario = await ModuleScenario.StartAsync();

        var result = scenario.Run("'not-a-guid', $args[0] | Get-PCCustomerLicenseUsage", SimulatorOptions.SeedCustomerId);

        var error = Assert.Single(result.Errors);
        Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
        Assert.Equal(5, result.Output.Count);
        Assert.Single(scenario.Simulator.Requests.Snapshot());
    }

    public static TheoryData<int, string, string, string, ErrorCategory> HttpFailures => new()
    {
        { 403, "20002", "The partner does not have a commerce relationship with the customer.", "AccessDenied", ErrorCategory.PermissionDenied },
        { 404, "60003", "Tenant not found.", "CustomerNotFound", ErrorCategory.ObjectNotFound },
        { 400, "600", "The request is not valid.", "RequestRejected", ErrorCategory.InvalidOperation },
        { 500, "800003", "An unexpected service error occurred.", "ServiceError", ErrorCategory.ResourceUnavailable },
        { 503, "503", "Service unavailable.", "ServiceError", ErrorCategory.ResourceUnavailable },
        { 504, "504", "Gateway timeout.", "RequestTimeout", ErrorCategory.OperationTimeout },
    };

    [Theory]
    [MemberData(nameof(HttpFailures))]
    public async Task An_http_error_for_one_customer_is_a_non_terminating_error_with_its_id_category_target_and_ids(
        int status, string code, string description, string errorId, ErrorCategory category)
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var failing = scenario.CustomersWithUsage(2);
        scenario.Simulator.Faults.Add(InjectedFault.Error(status, code, description, customerId: failing[0].Id));

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", new[] { failing[0].Id, failing[1].Id });

        var error = Assert.Single(result.Errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(failing[0].Id, error.TargetObject);
        var tries = scenario.Simulator.Requests.Snapshot().Where(r => r.Path.Contains(failing[0].Id.ToString(), StringComparison.Ordinal)).ToList();
        var request = tries[^1];
        var message = error.ToString();
        Assert.Contains(code, message, StringComparison.Ordinal);
        Assert.Contains(description.TrimEnd('.'), message, StringComparison.Ordinal);
        Assert.Contains(request.Header("MS-RequestId")!, message, StringComparison.Ordinal);
        Assert.Contains(request.Header("MS-CorrelationId")!, message, StringComparison.Ordinal);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);

        // The next customer still comes through, whole.
        Assert.Equal(failing[1].Usage.Count, result.Output.Count);
        Assert.All(result.Output, row => Assert.Equal(failing[1].Id, row.Prop<Guid>("CustomerId")));
    }

    [Theory]
    [InlineData("400", "Access denied.", "AuthenticationFailed")]
    [InlineData("900421", "MFA is required for this request.", "MfaRequired")]
    public async Task A_refused_token_dooms_the_run_and_stops_it_with_one_terminating_error(string code, string description, string errorId)
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 60 });
        scenario.Simulator.Faults.Add(InjectedFault.Error(401, code, description));
        var input = scenario.Simulator.Data.Customers.Select(c => c.Id).ToArray();

        var error = scenario.RunTerminating("$args[0] | Get-PCCustomerLicenseUsage", (object)input);

        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains(description.TrimEnd('.'), error.ToString(), StringComparison.Ordinal);
        // At most the requests already in flight when the first refusal came, not one per customer.
        Assert.InRange(scenario.Simulator.Requests.Snapshot().Count, 1, 8);
    }

    [Fact]
    public async Task An_unknown_customer_is_CustomerNotFound_from_the_services_own_answer()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var unknown = Guid.NewGuid();

        var result = scenario.Run("Get-PCCustomerLicenseUsage -CustomerId $args[0]", unknown);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("CustomerNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(unknown, error.TargetObject);
        Assert.Contains("60003", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_with_no_throttled_time_allowed_is_reported_as_Throttled_with_the_wait_the_service_asked_for()
    {
        await using var scenario = await ModuleScenario.StartAsync(client: c => c.MaxThrottleWait = TimeSpan.Zero);
        scenario.Simulator.Faults.Add(InjectedFault.Throttle("57", customerId: SimulatorOptions.SeedCustomerId));

        var result = scenario.Run("Get-PCCustomerLicenseUsage -CustomerId $args[0]", SimulatorOptions.SeedCustomerId);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("Throttled,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Contains("Rate limit is exceeded", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("57 s", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_AuthenticationFailed_once_for_the_run_not_once_per_customer()
    {
        await using var scenario = await ModuleScenario.StartAsync(connect: false);
        scenario.Run("Connect-PCPartner -AccessToken 'not-the-right-token' -Endpoint $args[0] | Out-Null", scenario.Simulator.BaseAddress);

        var error = scenario.RunTerminating("$args[0] | Get-PCCustomerLicenseUsage -ThrottleLimit 1", new[] { SimulatorOptions.SeedCustomerId, Guid.NewGuid() });

        Assert.StartsWith("AuthenticationFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Single(scenario.Simulator.Requests.Snapshot());
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "not JSON", "<html><body>Service Unavailable</body></html>" },
        { "truncated", """{"totalCount": 2, "items": [{"customerName": "Contoso", "productName": "OFFICE 365 E3", "licensesAct""" },
        { "empty", "" },
        { "items not an array", """{"totalCount": 1, "items": {"productName": "OFFICE 365 E3"}}""" },
        { "top-level array", """[{"productName": "OFFICE 365 E3"}]""" },
        { "a number that is not one", """{"totalCount": 1, "items": [{"licensesActive": "many"}]}""" },
        { "a date that is not one", """{"totalCount": 1, "items": [{"processedDateTime": "yesterday"}]}""" },
        { "a null item", """{"totalCount": 1, "items": [null]}""" },
        { "another document", """{"value": [], "@nextLink": null}""" },
        { "JSON null", "null" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_success_answer_with_an_unusable_body_is_InvalidResponse_and_the_next_customer_is_processed(string what, string body)
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var customers = scenario.CustomersWithUsage(2);
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(body, customerId: customers[0].Id));

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", new[] { customers[0].Id, customers[1].Id });

        var error = Assert.Single(result.Errors);
        Assert.True(error.FullyQualifiedErrorId.StartsWith("InvalidResponse,", StringComparison.Ordinal), what);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Equal(customers[0].Id, error.TargetObject);
        var request = scenario.Simulator.Requests.Snapshot().Single(r => r.Path.Contains(customers[0].Id.ToString(), StringComparison.Ordinal));
        Assert.Contains(request.Header("MS-RequestId")!, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(result.Output, row => row.Prop<Guid>("CustomerId") == customers[0].Id);
        Assert.Equal(customers[1].Usage.Count, result.Output.Count);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_names_match_in_any_case_and_missing_fields_are_unknown_not_zero()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Simulator.Faults.Add(InjectedFault.RawBody(
            """{"TotalCount": 1, "Items": [{"PRODUCTNAME": "OFFICE 365 E3", "licensesActive": "7", "futureField": {"nested": [1, 2]}, "processedDateTime": "2026-10-31T12:00:00"}], "extra": true}""",
            customerId: SimulatorOptions.SeedCustomerId));

        var result = scenario.Run("Get-PCCustomerLicenseUsage -CustomerId $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Empty(result.Errors);
        var row = Assert.Single(result.Output);
        Assert.Equal("OFFICE 365 E3", row.Prop("ProductName"));
        Assert.Equal(7L, row.Prop<long>("LicensesActive"));
        Assert.Null(row.Prop("LicensesQualified"));
        Assert.Null(row.Prop("LicensesInactive"));
        Assert.Null(row.Prop("UsagePercent"));
        Assert.Null(row.Prop("CustomerName"));
        Assert.Null(row.Prop("WorkloadName"));
        Assert.Equal(SimulatorOptions.SeedCustomerId, row.Prop<Guid>("CustomerId"));
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.Zero), row.Prop<DateTimeOffset>("ProcessedDateTime"));
    }

    [Fact]
    public async Task An_error_body_that_is_not_valid_UTF8_is_still_one_error_for_that_customer_only()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var customers = scenario.CustomersWithUsage(2);
        var body = System.Text.Encoding.ASCII.GetBytes("{\"code\": \"x\", \"description\": \"bad \"}").ToList();
        body.InsertRange(body.Count - 3, new byte[] { 0xC3, 0x28, 0xFF });
        scenario.Simulator.Faults.Add(new InjectedFault { StatusCode = 403, BodyBytes = [.. body], CustomerId = customers[0].Id });

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", new[] { customers[0].Id, customers[1].Id });

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("AccessDenied,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(customers[1].Usage.Count, result.Output.Count);
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_run_s_throttle_wait_is_Throttled_saying_how_long_was_waited()
    {
        await using var scenario = await ModuleScenario.StartAsync(client: c => c.MaxThrottleWait = TimeSpan.FromMinutes(1));
        scenario.Simulator.Faults.Add(InjectedFault.Throttle("20", SimulatorOptions.SeedCustomerId));

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("Throttled,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("Partner Center asked for 20 s before the request is sent again, more than the run's throttling budget has left (only 0 s of 1 min, the rest spent waiting out throttling); it was not sent again.", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("-MaxThrottleWait", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        // 20 s waits: three fit in the minute, the fourth refusal is final; the error counts the four sends, and nothing
        // else as an attempt.
        Assert.Equal(4, scenario.Simulator.Requests.Snapshot().Count);
        Assert.Contains("Gave up after 4 attempts (", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(4, error.Exception is PartnerCenterUsage.Engine.PartnerCenterException { Attempts: var attempts } ? attempts : -1);
        Assert.Equal(TimeSpan.FromSeconds(60), scenario.Clock.Elapsed);
    }

    [Theory]
    [InlineData("0")]
    [InlineData(null)]
    [InlineData("86400")]
    public async Task A_Retry_After_of_0_none_or_absurd_is_not_believed_the_wait_starts_at_a_second_and_doubles(string? retryAfter)
    {
        await using var scenario = await ModuleScenario.StartAsync();
        scenario.Simulator.Faults.Add(InjectedFault.Throttle(retryAfter, SimulatorOptions.SeedCustomerId, times: 4));

        var result = scenario.Run("Get-PCCustomerLicenseUsage $args[0]", SimulatorOptions.SeedCustomerId);

        Assert.Empty(result.Errors);
        var times = scenario.Simulator.Requests.Snapshot().Select(r => r.ReceivedAt).ToList();
        var waits = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.Equal(4, waits.Count);
        for (var i = 0; i < waits.Count; i++)
        {
            // A second doubling, with up to a fifth more to spread refused requests.
            Assert.InRange(waits[i], Math.Pow(2, i), Math.Pow(2, i) * 1.2 + 0.001);
        }
    }

    [Fact]
    public async Task A_dropped_connection_is_ConnectionFailed_for_that_customer_only()
    {
        await using var scenario = await ModuleScenario.StartAsync();
        var customers = scenario.CustomersWithUsage(2);
        scenario.Simulator.Faults.Add(new InjectedFault { DropConnection = true, CustomerId = customers[0].Id });

        var result = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", new[] { customers[0].Id, customers[1].Id });

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ConnectionFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Equal(customers[0].Id, error.TargetObject);
        Assert.Equal(customers[1].Usage.Count, result.Output.Count);
    }
}
