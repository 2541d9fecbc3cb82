namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>
/// A Partner Center whose paging lies, over real loopback HTTP, through each paged endpoint's cmdlet: a service that
/// ignores where a page starts, links on without end or sends rows again is stopped, or its copies left out, by the one
/// pager, and nothing written twice. Each server script ends its listing after 50 pages, so that a pager that follows it
/// fails the test instead of hanging it.
/// </summary>
public sealed class HostilePagingTests
{
    private const int PagesBeforeTheServerGivesUp = 50;

    public static TheoryData<string> PagedEndpoints => HostileEndpoints.PagedNames;

    /// <summary>The paged endpoints whose pages carry the listing's total (the commercial analytics).</summary>
    public static TheoryData<string> TotalCountEndpoints => ["portfolio usage", "portfolio deployment"];

    private static readonly Guid[] Ids = [.. Enumerable.Range(1, 30).Select(i => Guid.Parse($"00000000-0000-4000-8000-{i:D12}"))];

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task A_service_that_sends_its_first_rows_on_every_page_under_a_new_link_is_stopped_after_them(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        string[] rows = [endpoint.Item(Ids[0], 1), endpoint.Item(Ids[1], 2)];
        scenario.Server.Answer(r => endpoint.Page(scenario.Server, rows, r.Number < PagesBeforeTheServerGivesUp ? "page-" + r.Number : null));

        var run = scenario.Run(endpoint.Script);

        Assert.Equal(2, run.Output.Count);
        Assert.Equal(["InvalidResponse"], run.ErrorIds);

        // The customer list leaves out a customer it listed already before the pager sees the page: its pages come
        // empty, and the pager's rule for empty pages that link on stops it a few pages later.
        Assert.InRange(scenario.Server.Requests.Count, 2, 7);
    }

    [Theory]
    [MemberData(nameof(TotalCountEndpoints))]
    public async Task A_service_that_links_on_past_the_total_it_reports_is_stopped_at_that_total(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        var path = endpoint.Path.TrimStart('/');
        scenario.Server.Answer(r => HostileResponse.CommercialPage(
            Enumerable.Range(0, 10).Select(i => endpoint.Item(Guid.NewGuid(), i + 1)),
            r.Number < PagesBeforeTheServerGivesUp ? scenario.Server.BaseAddress + "v1/" + path + "?skipToken=page-" + r.Number : null,
            totalCount: 20));

        var run = scenario.Run(endpoint.Script);

        Assert.Equal(20, run.Output.Count);
        StoppedWith(run, "more than the 20 it reported; the listing is stopped after the 20 rows before this page");
        Assert.Contains("20 rows read, the report is incomplete", run.VisibleText, StringComparison.Ordinal);
        Assert.Equal(3, scenario.Server.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(TotalCountEndpoints))]
    public async Task A_service_that_ignores_skip_and_sends_its_first_page_again_gives_those_rows_once_and_an_error(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        string[] rows = [.. Enumerable.Range(0, 10).Select(i => endpoint.Item(Ids[i], i + 1))];

        // No link: the pager asks for the rest with skip, which this service ignores; the pages differ (a field it adds
        // that nobody reads), so they are not the same page twice to the byte.
        scenario.Server.Answer(r => r.Number < PagesBeforeTheServerGivesUp
            ? HostileResponse.Json($$"""{"Value":[{{string.Join(",", rows)}}],"TotalCount":20,"Page":{{r.Number}}}""")
            : HostileResponse.Json("""{"Value":[],"TotalCount":20}"""));

        var run = scenario.Run(endpoint.Script);

        Assert.Equal(10, run.Output.Count);
        StoppedWith(run, "only rows it had sent already");
        Assert.Equal(2, scenario.Server.Requests.Count);
        Assert.Equal("10", scenario.Server.Requests[1].Query("skip"));
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task Rows_sent_again_on_the_next_page_or_twice_in_a_page_are_written_once_with_a_warning(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        string Row(int i) => endpoint.Item(Ids[i], i + 1);

        // 20 rows, 14 of them distinct: the second page starts 3 rows early, the third repeats 3 of its own.
        scenario.Server.Answer(HostileScripts.Sequence(
            endpoint.Page(scenario.Server, [.. Enumerable.Range(0, 7).Select(Row)], "page-2"),
            endpoint.Page(scenario.Server, [.. Enumerable.Range(4, 7).Select(Row)], "page-3"),
            endpoint.Page(scenario.Server, [Row(11), Row(11), Row(12), Row(12), Row(13), Row(13)], null)));

        var run = scenario.Run(endpoint.Script);

        Assert.Empty(run.Errors);
        Assert.Equal(14, run.Output.Count);
        Assert.Equal(14, run.Output.Select(o => o.ToString()).Distinct().Count());
        Assert.Equal(3, scenario.Server.Requests.Count);
        if (name != "customer list")
        {
            // The customer list leaves out a customer listed already by its id, before the pager's comparison.
            var warning = Assert.Single(run.Warnings, w => w.Contains("again", StringComparison.Ordinal));
            Assert.Contains("3 of the 7 rows of page 2", warning, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task Items_that_differ_in_any_byte_are_not_copies(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();

        // The same customer (or partner-wide key) with another count on the next page: a row of its own, as sent.
        scenario.Server.Answer(HostileScripts.Sequence(
            endpoint.Page(scenario.Server, [endpoint.Item(Ids[0], 1), endpoint.Item(Ids[1], 2)], "page-2"),
            endpoint.Page(scenario.Server, [endpoint.Item(Ids[1], 3)], null)));

        var run = scenario.Run(endpoint.Script);

        Assert.Empty(run.Errors);
        Assert.DoesNotContain(run.Warnings, w => w.Contains("again", StringComparison.Ordinal));
        Assert.Equal(3, run.Output.Count);
    }

    // The listing ended with one InvalidResponse saying why, after the rows already written.
    private static void StoppedWith(HostileRun run, string why)
    {
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("InvalidResponse,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains(why, error.Exception.Message, StringComparison.Ordinal);
    }
}
