using System.Management.Automation;
using System.Text;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>
/// Every endpoint the module calls, against a Partner Center that misbehaves on purpose over real loopback HTTP: the
/// module stays inside its error contract (a stable ErrorId, never a stack trace, never <c>UnexpectedError</c>), bounded
/// in memory and time, sends nothing a response smuggled into it, reports nothing the service did not send, and a
/// failure about one customer costs that customer only. Simulated time: no test waits on real seconds.
/// </summary>
public sealed class HostileServiceTests
{
    /// <summary>The customer the server misbehaves for, in the tests of per-customer endpoints.</summary>
    private static readonly Guid Victim = Guid.Parse("bad00000-0000-4000-8000-000000000001");

    /// <summary>The customer after it, answered as documented: it must come out whole.</summary>
    private static readonly Guid Next = Guid.Parse("600d0000-0000-4000-8000-000000000002");

    public static TheoryData<string> Endpoints => HostileEndpoints.Names;

    public static TheoryData<string> PagedEndpoints => HostileEndpoints.PagedNames;

    public static TheoryData<string> NumericEndpoints => HostileEndpoints.NumericNames;

    public static TheoryData<string> PerCustomerEndpoints => HostileEndpoints.PerCustomerNames;

    public static TheoryData<string> TypedValueEndpoints => HostileEndpoints.TypedValueNames;

    public static TheoryData<string, int> EndpointsAndRedirects
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var endpoint in HostileEndpoints.All)
            {
                foreach (var status in new[] { 301, 302, 307, 308 })
                {
                    data.Add(endpoint.Name, status);
                }
            }

            return data;
        }
    }

    /// <summary>Each endpoint, and an endpoint whose items could pass for its own: the same names, shared fields, or an id.</summary>
    public static TheoryData<string, string, string> EndpointsAndForeignItems => new()
    {
        { "customer list", "customer subscriptions", "subscriptions" },
        { "one customer", "customer subscriptions", "subscriptions" },
        { "customer usage", "partner usage", "partner-wide license usage rows" },
        { "customer deployment", "customer usage", "license usage rows" },
        { "customer SKUs", "customer subscriptions", "subscriptions" },
        { "customer subscriptions", "customer SKUs", "subscribed SKUs" },
        { "portfolio usage", "portfolio deployment", "license deployment rows" },
        { "portfolio deployment", "portfolio usage", "license usage rows" },
        { "partner usage", "customer usage", "license usage rows" },
        { "partner deployment", "partner usage", "partner-wide license usage rows" },
    };

    // ---- Another endpoint's document ----

    [Theory]
    [MemberData(nameof(EndpointsAndForeignItems))]
    public async Task Another_endpoint_s_items_are_refused_as_InvalidResponse_saying_whose_they_are(string name, string other, string kind)
    {
        var endpoint = HostileEndpoints.Get(name);
        var foreign = HostileEndpoints.Get(other);
        await using var scenario = await HostileScenario.StartAsync();

        var run = RunAgainst(scenario, endpoint, r => endpoint.Page(scenario.Server, [foreign.Item(Victim, 1), foreign.Item(Victim, 2)], null));

        var error = AssertFailedAlone(run, endpoint, "InvalidResponse");
        Assert.Contains($"holds {kind}, not ", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("another endpoint's document", error.Exception.Message, StringComparison.Ordinal);
    }

    // ---- Bounded answers ----

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task An_endless_answer_is_cut_at_the_size_cap_as_InvalidResponse_and_not_asked_again(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync(c => c.MaxResponseBytes = 1024 * 1024);
        var endless = HostileResponse.Endless(Encoding.UTF8.GetBytes("""{"productName":"again and again"},"""), Encoding.UTF8.GetBytes("""{"totalCount":1,"items":["""));

        var run = RunAgainst(scenario, endpoint, _ => endless);

        var error = AssertFailedAlone(run, endpoint, "InvalidResponse");
        Assert.Contains("1 MB", error.Exception.Message, StringComparison.Ordinal);
        var request = Assert.Single(Hostile(scenario, endpoint));
        // The module hung up: the server saw the client leave, a little past the cap.
        Assert.Equal(HostileOutcome.ClientGone, await request.Finished.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task An_answer_announcing_more_than_the_cap_is_refused_before_it_is_read(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync(c => c.MaxResponseBytes = 64 * 1024);
        // A documented answer, made larger than the cap with whitespace (valid JSON), sent with its Content-Length.
        var large = HostileResponse.Json(endpoint.Valid(scenario.Server, Victim).BodyText + new string(' ', 128 * 1024));

        var run = RunAgainst(scenario, endpoint, _ => large);

        AssertFailedAlone(run, endpoint, "InvalidResponse");
        Assert.Single(Hostile(scenario, endpoint));
    }

    [Fact]
    public async Task The_default_cap_stops_an_endless_answer_at_64_MB()
    {
        var endpoint = HostileEndpoints.Get("customer usage");
        await using var scenario = await HostileScenario.StartAsync();
        var run = RunAgainst(scenario, endpoint, _ => HostileResponse.Endless(Encoding.UTF8.GetBytes("""{"productName":"again"},"""), Encoding.UTF8.GetBytes("""{"items":[""")));

        var error = AssertFailedAlone(run, endpoint, "InvalidResponse");
        Assert.Contains("64 MB", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-MaxResponseSize", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Single(Hostile(scenario, endpoint));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_gzip_bomb_is_cut_at_the_cap_on_what_it_inflates_to(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync(c => c.MaxResponseBytes = 1024 * 1024);
        var bomb = HostileResponse.GzipBomb(200);

        var run = RunAgainst(scenario, endpoint, _ => bomb);

        var error = AssertFailedAlone(run, endpoint, "InvalidResponse");
        Assert.Contains("larger than 1 MB", error.Exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_service_that_never_answers_fails_the_request_within_its_two_minutes(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();

        var run = await RunTimedAgainstAsync(scenario, endpoint, _ => HostileResponse.Hang());

        AssertFailedAlone(run, endpoint, "RequestTimeout");
        // Attempts of 30 s with backoff between them, until the request's two minutes are spent: not ten minutes.
        Assert.InRange(scenario.Clock.Elapsed, TimeSpan.FromMinutes(1.9), TimeSpan.FromMinutes(2.5));
        Assert.InRange(Hostile(scenario, endpoint).Count, 3, 5);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_dripping_answer_fails_like_a_hung_one_within_the_times_the_user_set(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync(c =>
        {
            c.RequestTimeout = TimeSpan.FromSeconds(20);
            c.MaxRequestDuration = TimeSpan.FromSeconds(50);
        });
        var body = Encoding.UTF8.GetBytes(endpoint.Valid(scenario.Server, Victim).BodyText);

        var run = await RunTimedAgainstAsync(scenario, endpoint, _ => HostileResponse.Dripping(body, TimeSpan.FromSeconds(5)));

        AssertFailedAlone(run, endpoint, "RequestTimeout");
        Assert.InRange(scenario.Clock.Elapsed, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
        Assert.InRange(Hostile(scenario, endpoint).Count, 2, 3);
    }

    // ---- Every failure inside the error contract ----

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_corrupt_gzip_answer_is_InvalidResponse_and_the_next_customer_goes_on(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();

        var run = RunAgainst(scenario, endpoint, _ => HostileResponse.CorruptGzip());

        var error = AssertFailedAlone(run, endpoint, "InvalidResponse");
        Assert.Contains("could not be decoded", error.Exception.Message, StringComparison.Ordinal);
        Assert.Single(Hostile(scenario, endpoint));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_gzip_answer_cut_short_is_InvalidResponse(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        var whole = endpoint.Valid(scenario.Server, Victim).BodyText;

        var run = RunAgainst(scenario, endpoint, _ => HostileResponse.TruncatedGzip(whole));

        AssertFailedAlone(run, endpoint, "InvalidResponse");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task An_item_of_another_shape_is_InvalidResponse_not_a_row_of_nothing(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();

        var run = RunAgainst(scenario, endpoint, _ => endpoint.Page(scenario.Server, ["""{"status":"active","kind":"order"}"""], null));

        var error = AssertFailedAlone(run, endpoint, "InvalidResponse");
        Assert.Contains("none of the", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    // ---- Safe requests ----

    [Theory]
    [MemberData(nameof(EndpointsAndRedirects))]
    public async Task A_redirect_to_another_host_is_not_followed_and_that_host_gets_nothing(string name, int status)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        await using var elsewhere = await HostileServer.StartAsync(scenario.Clock);
        elsewhere.Answer(r => endpoint.Valid(elsewhere, r));

        var run = RunAgainst(scenario, endpoint, r => HostileResponse.Redirect(status, elsewhere.Url(r.PathAndQuery.TrimStart('/')).ToString()));

        var error = AssertFailedAlone(run, endpoint, "InvalidResponse");
        Assert.Contains("not to the API host", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        Assert.Single(Hostile(scenario, endpoint));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_redirect_on_the_API_host_is_followed_with_the_token_but_not_in_circles(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();

        // Moved once: followed, the token sent again to the same host, and the rows come out.
        var moved = RunAgainst(scenario, endpoint, r => r.Query("moved") is null
            ? HostileResponse.Redirect(307, scenario.Server.Url(r.Path.TrimStart('/') + "?moved=1").ToString())
            : endpoint.Valid(scenario.Server, r));
        Assert.Empty(moved.Errors);
        Assert.Equal(endpoint.PerCustomer ? 2 * Rows(endpoint) : Rows(endpoint), moved.Output.Count);
        var followed = Assert.Single(Hostile(scenario, endpoint), r => r.Query("moved") is not null);
        Assert.Equal("Bearer " + HostileScenario.Token, followed.Authorization);

        // Moved for ever: three redirects followed, then InvalidResponse.
        var before = Hostile(scenario, endpoint).Count;
        var circle = RunAgainst(scenario, endpoint, r => HostileResponse.Redirect(302, scenario.Server.Url(r.Path.TrimStart('/') + "?again=" + r.Number).ToString()));
        var error = AssertFailedAlone(circle, endpoint, "InvalidResponse");
        Assert.Contains("more than 3 times", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(4, Hostile(scenario, endpoint).Count - before);
    }

    [Theory]
    [InlineData(400, "RequestRejected")]
    [InlineData(403, "AccessDenied")]
    [InlineData(500, "ServiceError")]
    public async Task A_service_that_echoes_the_token_does_not_get_it_shown(int status, string errorId)
    {
        foreach (var endpoint in HostileEndpoints.All)
        {
            await using var scenario = await HostileScenario.StartAsync();

            var run = RunAgainst(scenario, endpoint, _ => HostileResponse.EchoAuthorization(status), "-Verbose -Debug");

            AssertFailedAlone(run, endpoint, errorId);
            AssertNoTokenIn(run.VisibleText);
            Assert.Contains("[token]", run.Errors[0].Exception.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(400, "RequestRejected")]
    [InlineData(503, "ServiceError")]
    public async Task A_reason_phrase_that_echoes_the_token_does_not_get_it_shown(int status, string errorId)
    {
        var endpoint = HostileEndpoints.Get("customer usage");
        await using var scenario = await HostileScenario.StartAsync(c => c.RetryBaseDelay = TimeSpan.Zero);

        var run = RunAgainst(scenario, endpoint, _ => HostileResponse.ReasonEcho(status), "-Verbose -Debug");

        AssertFailedAlone(run, endpoint, errorId);
        AssertNoTokenIn(run.VisibleText);
    }

    [Fact]
    public async Task A_404_that_is_not_Partner_Center_s_is_ResourceNotFound_not_a_verdict_on_the_customer()
    {
        var endpoint = HostileEndpoints.Get("customer usage");
        await using var scenario = await HostileScenario.StartAsync();

        var run = RunAgainst(scenario, endpoint, _ => HostileResponse.Status(404));

        AssertFailedAlone(run, endpoint, "ResourceNotFound");
    }

    [Fact]
    public async Task An_empty_404_with_Partner_Center_s_headers_as_Microsoft_documents_it_is_CustomerNotFound()
    {
        // ../shared/corpus/errors/404-empty-body: Content-Length 0, and Partner Center's MS-CV, MS-ServerId, MS-RequestId.
        var endpoint = HostileEndpoints.Get("customer usage");
        await using var scenario = await HostileScenario.StartAsync();

        var run = RunAgainst(scenario, endpoint, _ => HostileResponse.Status(404).WithHeader("MS-CV", "RRmc+bEw9U2e97CC.0").WithHeader("MS-ServerId", "202010406"));

        AssertFailedAlone(run, endpoint, "CustomerNotFound");
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task A_next_link_that_is_not_a_string_is_InvalidResponse_not_the_last_page(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        var page = endpoint.Page(scenario.Server, [endpoint.Item(HostileEndpoints.Listed, 1)], "next").BodyText;
        // The link, wherever the envelope has it, made an object: {"href": "..."}.
        var broken = System.Text.RegularExpressions.Regex.Replace(page, "(\"(?:uri|@nextLink)\":)(\"[^\"]*\")", "$1{\"href\":$2}");
        Assert.NotEqual(page, broken);
        scenario.Server.Answer(HostileResponse.Json(broken));

        var run = scenario.Run(endpoint.Script);

        Assert.Equal(["InvalidResponse"], run.ErrorIds);
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task A_continuation_token_with_CR_LF_is_refused_and_nothing_is_smuggled(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        scenario.Server.Answer(r => endpoint.Page(scenario.Server, [endpoint.Item(HostileEndpoints.Listed, 1)], "abc\r\nX-Smuggled: yes\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x"));

        var run = scenario.Run(endpoint.Script);

        Assert.Single(run.Output);
        Assert.Equal(["InvalidResponse"], run.ErrorIds);
        var request = Assert.Single(scenario.Server.Requests);
        Assert.Null(request.Header("X-Smuggled"));
        Assert.DoesNotContain(scenario.Server.Requests, r => r.Path.Contains("smuggled", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task A_continuation_token_with_non_ASCII_characters_is_refused_at_once_not_retried(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        scenario.Server.Answer(r => endpoint.Page(scenario.Server, [endpoint.Item(HostileEndpoints.Listed, 1)], "caf\u00e9\u2028token"));

        var run = scenario.Run(endpoint.Script);

        Assert.Single(run.Output);
        Assert.Equal(["InvalidResponse"], run.ErrorIds);
        Assert.Single(scenario.Server.Requests);
        Assert.Equal(TimeSpan.Zero, scenario.Clock.Elapsed);
    }

    // ---- Listing ----

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task A_404_on_a_next_page_is_ResourceNotFound_after_the_rows_already_read(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        scenario.Server.Answer(HostileScripts.Sequence(
            endpoint.Page(scenario.Server, [endpoint.Item(HostileEndpoints.Listed, 1), endpoint.Item(HostileEndpoints.Listed, 2)], "page-2"),
            HostileResponse.Status(404)));

        var run = scenario.Run(endpoint.Script);

        Assert.Equal(2, run.Output.Count);
        Assert.Equal(["ResourceNotFound"], run.ErrorIds);
        Assert.Equal(2, scenario.Server.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task Empty_pages_that_always_link_to_another_stop_after_a_few(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        scenario.Server.Answer(r => endpoint.Page(scenario.Server, [], "empty-" + r.Number));

        var run = scenario.Run(endpoint.Script);

        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("InvalidResponse,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("empty pages", error.Exception.Message, StringComparison.Ordinal);
        Assert.InRange(scenario.Server.Requests.Count, 6, 7);
    }

    [Fact]
    public async Task A_customer_listed_again_on_a_later_page_is_written_once()
    {
        var endpoint = HostileEndpoints.Get("customer list");
        await using var scenario = await HostileScenario.StartAsync();
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        scenario.Server.Answer(HostileScripts.Sequence(
            endpoint.Page(scenario.Server, [endpoint.Item(a, 1), endpoint.Item(b, 1)], "page-2"),
            endpoint.Page(scenario.Server, [endpoint.Item(b, 1), endpoint.Item(c, 1)], null)));

        var run = scenario.Run(endpoint.Script);

        Assert.Empty(run.Errors);
        Assert.Equal([a, b, c], run.Output.Select(o => o.Prop<Guid>("CustomerId")));
    }

    [Theory]
    [InlineData("-CompanyName '*'")]
    [InlineData("-CompanyName '**'")]
    [InlineData("-Domain '*'")]
    public async Task A_wildcard_only_filter_is_no_filter(string filter)
    {
        var endpoint = HostileEndpoints.Get("customer list");
        await using var scenario = await HostileScenario.StartAsync();
        scenario.Server.Answer(r => endpoint.Valid(scenario.Server, r));

        var run = scenario.Run("Get-PCCustomer " + filter);

        Assert.Empty(run.Errors);
        Assert.Equal(2, run.Output.Count);
        Assert.Null(Assert.Single(scenario.Server.Requests).Query("filter"));
    }

    [Theory]
    [InlineData("-CompanyName '*son'", null, "Contoso Anderson|Fabrikam Jonson")]
    [InlineData("-CompanyName 'Con?oso*'", "Con", "Contoso Anderson|Conroso Ltd")]
    [InlineData("-CompanyName 'Contoso*'", "Contoso", "Contoso Anderson|Conroso Ltd|Fabrikam Jonson")]
    [InlineData("-CompanyName 'Con`?'", "Con?", "Contoso Anderson|Conroso Ltd|Fabrikam Jonson")]
    public async Task Wildcards_in_a_filter_match_the_whole_name_with_the_prefix_before_them_sent_to_the_service(string filter, string? sent, string expected)
    {
        var endpoint = HostileEndpoints.Get("customer list");
        await using var scenario = await HostileScenario.StartAsync();
        // The server ignores the filter: what comes back is the module's own matching (for a plain prefix, the service's).
        string[] names = ["Contoso Anderson", "Conroso Ltd", "Fabrikam Jonson"];
        scenario.Server.Answer(HostileEndpoints.Classic(names.Select((n, i) => endpoint.Item(Guid.NewGuid(), 1).Replace("Contoso 1", n, StringComparison.Ordinal)).ToList(), null, null));

        var run = scenario.Run("Get-PCCustomer " + filter);

        Assert.Empty(run.Errors);
        Assert.Equal(expected, string.Join("|", run.Output.Select(o => o.Prop("CompanyName"))));
        var query = Assert.Single(scenario.Server.Requests).Query("filter");
        if (sent is null)
        {
            Assert.Null(query);
        }
        else
        {
            Assert.Contains($"\"Value\":\"{sent}\"", Uri.UnescapeDataString(query!), StringComparison.Ordinal);
        }
    }

    // ---- Honest rows ----

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_value_the_service_did_not_send_is_unknown_not_zero(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();

        foreach (var item in new[] { endpoint.Sparse.Json, endpoint.Nulls })
        {
            var run = RunAgainst(scenario, endpoint, _ => endpoint.Page(scenario.Server, [item], null));

            Assert.Empty(run.Errors);
            Assert.Empty(run.Warnings);
            var row = Assert.Single(run.Output, o => o.Prop(endpoint.Sparse.NameProperty) is string s && s.StartsWith("Sparse", StringComparison.Ordinal));
            Assert.All(endpoint.Sparse.Unknown, p => Assert.Null(row.Prop(p)));
        }
    }

    [Theory]
    [MemberData(nameof(NumericEndpoints))]
    public async Task Numbers_sent_as_strings_or_with_a_point_zero_are_read(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        var (json, five, ten) = endpoint.LooseNumbers!.Value;
        await using var scenario = await HostileScenario.StartAsync();

        var run = RunAgainst(scenario, endpoint, _ => endpoint.Page(scenario.Server, [json], null));

        Assert.Empty(run.Errors);
        Assert.Empty(run.Warnings);
        var row = Assert.Single(run.Output, o => (string?)o.Prop(endpoint.Sparse.NameProperty) == "Loose");
        Assert.Equal(5.0, Number(row.Prop(five)));
        if (ten is not null)
        {
            Assert.Equal(10.0, Number(row.Prop(ten)));
        }
    }

    [Theory]
    [MemberData(nameof(TypedValueEndpoints))]
    public async Task An_unreadable_value_is_empty_with_one_warning_for_the_run(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        var (spoiled, property, text) = (endpoint.WithValue!, endpoint.ValueProperty!, endpoint.BadValueText!);
        await using var scenario = await HostileScenario.StartAsync();

        // Two customers, or two rows of a listing, with a date (or, without dates, a count) that cannot be read; not the
        // same text twice, so that no item is a copy of the other (a copy is given once).
        var run = RunAgainst(scenario, endpoint, r => endpoint.Page(scenario.Server, [spoiled(HostileEndpoints.CustomerIn(r) ?? Victim, text), spoiled(Next, text + " ")], null), everyCustomer: true);

        Assert.Empty(run.Errors);
        Assert.Equal(endpoint.PerCustomer ? 4 : 2, run.Output.Count);
        Assert.All(run.Output, o => Assert.Null(o.Prop(property)));
        Assert.All(run.Output, o => Assert.NotNull(o.Prop(endpoint.LooseNumbers!.Value.Five)));
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("'" + text + "'", warning, StringComparison.Ordinal);
        Assert.Contains("left empty", warning, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TypedValueEndpoints))]
    public async Task A_token_echoed_into_a_value_is_not_shown_in_the_warning(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();

        var run = RunAgainst(scenario, endpoint, r => endpoint.Page(scenario.Server, [endpoint.WithValue!(Victim, r.Authorization!)], null));

        Assert.Empty(run.Errors);
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("[token]", warning, StringComparison.Ordinal);
        AssertNoTokenIn(run.VisibleText);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_token_echoed_as_the_name_of_a_field_that_cannot_be_read_is_not_shown_in_the_error(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();

        // The error says where in the answer reading stopped, and the service named that place after the token.
        var run = RunAgainst(scenario, endpoint, r => endpoint.Page(scenario.Server, ["{\"" + r.Authorization!["Bearer ".Length..] + "\": [1,}"], null));

        Assert.Contains("InvalidResponse", run.ErrorIds);
        AssertNoTokenIn(run.VisibleText);
    }

    // ---- Throttling and doom ----

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_throttling_storm_is_waited_out_and_nothing_is_lost(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        var end = scenario.Clock.GetUtcNow() + TimeSpan.FromSeconds(20);
        scenario.Server.Answer(HostileScripts.StormUntil(end, "1", r => endpoint.Valid(scenario.Server, r)));

        HostileRun run;
        await using (scenario.Clock.RunVirtualTime(TimeSpan.FromMilliseconds(30), canMove: () => scenario.Server.InFlight == 0))
        {
            run = await Task.Run(() => scenario.Run(endpoint.Script, (object)new[] { Victim, Next }));
        }

        Assert.Empty(run.Errors);
        Assert.Equal(endpoint.PerCustomer ? 2 * Rows(endpoint) : Rows(endpoint), run.Output.Count);
        // A few refusals a second while the storm lasted, not a request per millisecond.
        Assert.InRange(scenario.Server.Requests.Count(r => r.StatusCode == 429), 5, 60);
        Assert.InRange(scenario.Clock.Elapsed, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_Retry_After_longer_than_MaxThrottleWait_is_given_up_at_once_and_not_sent_again_early(string name)
    {
        // Retry-After 57 with 5 s allowed. The module used to wait the 5 s, send the request again 52 s before the time
        // the service asked for, and give up with "3 attempts" where the server had seen 2.
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync(c => c.MaxThrottleWait = TimeSpan.FromSeconds(5));

        // Plain simulated time (every wait ends at once, moving the clock by its length): a wait would show in the
        // clock, and no timeout can fire while a cold server is slow in real time, as RunTimedAsync lets them.
        var run = RunAgainst(scenario, endpoint, _ => HostileResponse.Throttle("57"));

        // The refused customer's error, and only its own: one refusal says nothing of the other customer, which the
        // service may still take (its limits are per partner, or per partner and customer), and it did.
        var error = AssertFailedAlone(run, endpoint, "Throttled");
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Single(Hostile(scenario, endpoint));
        Assert.Equal(TimeSpan.Zero, scenario.Clock.Elapsed);
        Assert.Contains(
            "Partner Center asked for 57 s before the request is sent again, more than the run's throttling budget allows (5 s); it was not sent again.",
            error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attempts", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, ((PartnerCenterUsage.Engine.PartnerCenterException)error.Exception).Attempts);
        Assert.Contains("57 s", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("-MaxThrottleWait", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_request_in_flight_is_refused_past_MaxThrottleWait_the_customers_not_sent_yet_are_not_sent()
    {
        // Twenty customers, 8 at a time, every request refused with Retry-After 57 and 5 s allowed. The refusals of the
        // requests in flight together say the partner's allowance is spent: the service would refuse every request for
        // 57 s, so the customers not sent yet are given up without being sent into it, each with its own error. (The
        // module used to send all 20, wait 5 s and send them again: 28 requests, and counted 3 attempts for each.)
        await using var scenario = await HostileScenario.StartAsync(c => c.MaxThrottleWait = TimeSpan.FromSeconds(5));
        var customers = Enumerable.Range(1, 20).Select(i => Guid.Parse($"bad00000-0000-4000-8000-{i:000000000000}")).ToArray();
        scenario.Server.Answer(_ => HostileResponse.Throttle("57"));

        var run = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", (object)customers);

        Assert.Empty(run.Output);
        Assert.Null(run.Terminating);
        Assert.Equal(customers, run.Errors.Select(e => (Guid)e.TargetObject));
        Assert.All(run.ErrorIds, id => Assert.Equal("Throttled", id));
        Assert.All(run.Errors, e => Assert.Contains("-MaxThrottleWait", e.ErrorDetails.RecommendedAction, StringComparison.Ordinal));
        Assert.Equal(TimeSpan.Zero, scenario.Clock.Elapsed);

        // No customer was sent twice, and only those in flight before the refusals came were sent at all.
        var sent = scenario.Server.Requests.Select(HostileEndpoints.CustomerIn).ToList();
        Assert.Equal(sent.Count, sent.Distinct().Count());
        Assert.InRange(sent.Count, 2, 8);
        foreach (var error in run.Errors)
        {
            var attempts = ((PartnerCenterUsage.Engine.PartnerCenterException)error.Exception).Attempts;
            if (sent.Contains((Guid)error.TargetObject))
            {
                Assert.Equal(1, attempts);
                Assert.Contains("it was not sent again.", error.Exception.Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(0, attempts);
                Assert.Contains(
                    "was not sent: Partner Center is throttling the whole run, which waits 57 s more before it sends any request, more than the run's throttling budget allows (5 s).",
                    error.Exception.Message, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("400", "AuthenticationFailed")]
    [InlineData("900421", "MfaRequired")]
    public async Task A_refused_token_stops_the_run_with_one_terminating_error(string code, string errorId)
    {
        foreach (var endpoint in HostileEndpoints.All)
        {
            await using var scenario = await HostileScenario.StartAsync();
            scenario.Server.Answer(HostileResponse.Json($$"""{"code":"{{code}}","description":"Refused.","data":[],"source":"PartnerFD"}""", 401));

            var run = scenario.Run(endpoint.Script, (object)new[] { Victim, Next, Guid.NewGuid(), Guid.NewGuid() });

            Assert.NotNull(run.Terminating);
            Assert.Equal([errorId], run.ErrorIds);
            Assert.Single(scenario.Server.Requests);
        }
    }

    // ---- The user's settings ----

    [Fact]
    public async Task Connect_PCPartner_sets_the_size_cap_of_the_connection()
    {
        await using var scenario = await HostileScenario.StartAsync();
        scenario.Server.Answer(HostileResponse.Endless(Encoding.UTF8.GetBytes("""{"id":"x"},"""), Encoding.UTF8.GetBytes("""{"items":[""")));
        var connected = scenario.Shell.Invoke("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] -MaxResponseSize 2MB | Out-Null", HostileScenario.Token, scenario.Server.BaseAddress);
        Assert.Empty(connected.Errors);

        var run = scenario.Run("Get-PCCustomer");

        var error = Assert.Single(run.Errors);
        Assert.StartsWith("InvalidResponse,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("larger than 2 MB", error.Exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-RequestTimeout 0")]
    [InlineData("-RequestTimeout '11:00:00'")]
    [InlineData("-MaxRequestDuration '0:00:00.5'")]
    [InlineData("-MaxThrottleWait '-0:01'")]
    [InlineData("-MaxThrottleWait '2.00:00:00'")]
    [InlineData("-MaxResponseSize 1KB")]
    public async Task Connect_PCPartner_refuses_limits_out_of_range_and_keeps_the_connection_it_had(string setting)
    {
        await using var scenario = await HostileScenario.StartAsync();

        var run = scenario.Run("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] " + setting, "another-token", scenario.Server.BaseAddress);

        var error = Assert.Single(run.Errors);
        Assert.Matches("^(InvalidParameters|ParameterArgumentValidationError),", error.FullyQualifiedErrorId);
        Assert.DoesNotContain("another-token", run.VisibleText, StringComparison.Ordinal);
        scenario.Server.Answer(r => HostileEndpoints.Get("customer list").Valid(scenario.Server, r));
        Assert.Equal(2, scenario.Run("Get-PCCustomer").Output.Count);
        Assert.Equal("Bearer " + HostileScenario.Token, scenario.Server.Requests[^1].Authorization);
    }

    [Theory]
    [InlineData("[pscustomobject]@{ token_type = 'Bearer'; expires_in = 3599; access_token = $args[0] }")]
    [InlineData("@{ access_token = $args[0] }")]
    [InlineData("@($args[0], $args[0])")]
    public async Task An_AccessToken_that_is_not_a_string_is_refused_without_showing_it(string value)
    {
        await using var scenario = await HostileScenario.StartAsync();

        var run = scenario.Run($"Connect-PCPartner -AccessToken ({value}) -Endpoint $args[1]; $Error[0] | Format-List * -Force | Out-String", HostileScenario.Token, scenario.Server.BaseAddress);

        var error = Assert.Single(run.Errors);
        Assert.Contains("AccessToken", error.ToString(), StringComparison.Ordinal);
        AssertNoTokenIn(run.VisibleText);
        Assert.Empty(scenario.Server.Requests);
    }

    // ---- Helpers ----

    /// <summary>
    /// Runs the endpoint's script with the server answering <paramref name="hostile"/>: to every request of a listing;
    /// to the victim's requests only for an endpoint about one customer (or to every customer's with <paramref name="everyCustomer"/>),
    /// whose next customer is answered as documented.
    /// </summary>
    private static HostileRun RunAgainst(HostileScenario scenario, HostileEndpoint endpoint, Func<HostileRequest, HostileResponse> hostile, string? parameters = null, bool everyCustomer = false)
    {
        scenario.Server.Answer(r => IsHostile(endpoint, r) || everyCustomer ? hostile(r) : endpoint.Valid(scenario.Server, r));
        return scenario.Run(endpoint.Script + (parameters is null ? string.Empty : " " + parameters), (object)new[] { Victim, Next });
    }

    private static async Task<HostileRun> RunTimedAgainstAsync(HostileScenario scenario, HostileEndpoint endpoint, Func<HostileRequest, HostileResponse> hostile)
    {
        scenario.Server.Answer(r => IsHostile(endpoint, r) ? hostile(r) : endpoint.Valid(scenario.Server, r));
        return await scenario.RunTimedAsync(endpoint.Script, (object)new[] { Victim, Next });
    }

    private static bool IsHostile(HostileEndpoint endpoint, HostileRequest request) =>
        !endpoint.PerCustomer || HostileEndpoints.CustomerIn(request) == Victim;

    private static List<HostileRequest> Hostile(HostileScenario scenario, HostileEndpoint endpoint) =>
        scenario.Server.Requests.Where(r => IsHostile(endpoint, r)).ToList();

    /// <summary>The rows of a documented answer: two, or the one customer of Get-PCCustomer -CustomerId.</summary>
    private static int Rows(HostileEndpoint endpoint) => endpoint.Name == "one customer" ? 1 : 2;

    /// <summary>
    /// The run failed with exactly one error, <paramref name="errorId"/>: about the victim, with the next customer
    /// whole, for an endpoint about one customer; for a listing, the listing's only error.
    /// </summary>
    private static ErrorRecord AssertFailedAlone(HostileRun run, HostileEndpoint endpoint, string errorId)
    {
        var error = Assert.Single(run.Errors);
        Assert.Equal(errorId, run.ErrorIds[0]);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        if (endpoint.PerCustomer)
        {
            Assert.Null(run.Terminating);
            Assert.Equal(Victim, error.TargetObject);
            Assert.Equal(Rows(endpoint), run.Output.Count);
            Assert.All(run.Output, o => Assert.Equal(Next, o.Prop<Guid>("CustomerId")));
        }

        return error;
    }

    /// <summary>A count ([long]) or a share ([double]) as a number; anything else fails the test.</summary>
    private static double Number(object? value) => value switch
    {
        long count => count,
        double share => share,
        _ => throw new Xunit.Sdk.XunitException($"expected a long or a double, got {value?.GetType().Name ?? "null"}"),
    };

    private static void AssertNoTokenIn(string text)
    {
        Assert.DoesNotContain(HostileScenario.Token, text, StringComparison.Ordinal);
        foreach (var part in HostileScenario.Token.Split('.').Where(p => p.Length >= 8))
        {
            Assert.DoesNotContain(part, text, StringComparison.Ordinal);
        }
    }
}
