using System.Text.Json;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>Paging of the commercial analytics: top, skip, TotalCount and @nextLink in each style and casing.</summary>
public sealed class CommercialPagingTests
{
    private const string UsagePath = "/v1/analytics/commercial/usage/license";

    private static SimulatorOptions Options(CommercialNextLinkStyle links = CommercialNextLinkStyle.Relative, EnvelopeCasing casing = EnvelopeCasing.Pascal, int pageSize = 10000) =>
        new() { CustomerCount = 30, CommercialNextLink = links, CommercialEnvelopeCasing = casing, CommercialMaxPageSize = pageSize };

    private static IEnumerable<string> Keys(IEnumerable<JsonElement> rows) =>
        rows.Select(r => $"{CommercialPage.Text(r, "customerTenantId")}|{CommercialPage.Text(r, "productId")}|{CommercialPage.Text(r, "workloadName")}");

    [Theory]
    [InlineData(CommercialNextLinkStyle.Relative, EnvelopeCasing.Pascal)]
    [InlineData(CommercialNextLinkStyle.Relative, EnvelopeCasing.Camel)]
    [InlineData(CommercialNextLinkStyle.Absolute, EnvelopeCasing.Pascal)]
    [InlineData(CommercialNextLinkStyle.Absolute, EnvelopeCasing.Camel)]
    public async Task Following_nextLink_pages_through_every_row_once_and_the_last_page_has_a_null_link(CommercialNextLinkStyle links, EnvelopeCasing casing)
    {
        await using var http = await SimulatorHttp.StartAsync(Options(links, casing, pageSize: 7));
        var expected = http.Data.UsageRows.Select(r => $"{r.Customer.Id}|{r.Row.ProductId}|{r.Row.WorkloadName}").ToList();

        var rows = new List<JsonElement>();
        var pages = 0;
        for (string? link = UsagePath; link is not null; pages++)
        {
            var body = await http.GetJsonAsync(link);
            Assert.Equal(casing == EnvelopeCasing.Pascal ? ["Value", "@nextLink", "TotalCount"] : ["value", "@nextLink", "totalCount"], body.EnumerateObject().Select(p => p.Name));
            var page = CommercialPage.Read(body);
            Assert.Equal(expected.Count, page.TotalCount);
            Assert.InRange(page.Rows.Count, 1, 7);
            if (page.NextLink is { } next)
            {
                Assert.Equal(7, page.Rows.Count);
                Assert.Equal(links == CommercialNextLinkStyle.Absolute, Uri.IsWellFormedUriString(next, UriKind.Absolute));
            }

            rows.AddRange(page.Rows);
            link = page.NextLink;
        }

        Assert.Equal(expected, Keys(rows));
        Assert.Equal((expected.Count + 6) / 7, pages);
    }

    [Fact]
    public async Task Without_nextLink_a_client_pages_with_skip_up_to_TotalCount()
    {
        await using var http = await SimulatorHttp.StartAsync(Options(CommercialNextLinkStyle.None, pageSize: 7));

        var first = await http.GetPageAsync(UsagePath + "?top=7");
        var rows = new List<JsonElement>(first.Rows);
        for (var skip = 7; skip < first.TotalCount; skip += 7)
        {
            var page = await http.GetPageAsync(UsagePath + $"?top=7&skip={skip}");
            Assert.Null(page.NextLink);
            rows.AddRange(page.Rows);
        }

        Assert.Null(first.NextLink);
        Assert.True(first.TotalCount > 7);
        Assert.Equal(http.Data.UsageRows.Select(r => $"{r.Customer.Id}|{r.Row.ProductId}|{r.Row.WorkloadName}"), Keys(rows));
    }

    [Fact]
    public async Task A_relative_link_keeps_the_path_form_and_the_query_of_the_request()
    {
        await using var http = await SimulatorHttp.StartAsync(Options());
        const string Filter = "channel ne 'x'";
        var query = "?top=5&skip=3&filter=" + Uri.EscapeDataString(Filter) + "&groupby=customerName,productName&processedDateTime=2026-11-01";

        var documented = await http.GetPageAsync(UsagePath + query);
        var prefixed = await http.GetPageAsync("/partner" + UsagePath + query);

        Assert.Equal(UsagePath + "?top=5&skip=8&filter=channel%20ne%20%27x%27&groupby=customerName%2CproductName&processedDateTime=2026-11-01", documented.NextLink);
        Assert.Equal("/partner" + documented.NextLink, prefixed.NextLink);
    }

    [Fact]
    public async Task An_absolute_link_is_the_relative_one_on_the_simulators_address()
    {
        await using var http = await SimulatorHttp.StartAsync(Options(CommercialNextLinkStyle.Absolute));

        var page = await http.GetPageAsync("/partner/v1/analytics/commercial/deployment/license?top=2");

        Assert.Equal(new Uri(http.Simulator.BaseAddress, "/partner/v1/analytics/commercial/deployment/license?top=2&skip=2").ToString(), page.NextLink);
    }

    [Fact]
    public async Task A_page_holds_the_smaller_of_top_and_the_configured_page_size()
    {
        await using var http = await SimulatorHttp.StartAsync(Options(pageSize: 10));

        Assert.Equal(10, (await http.GetPageAsync(UsagePath)).Rows.Count);
        Assert.Equal(10, (await http.GetPageAsync(UsagePath + "?top=10000")).Rows.Count);
        Assert.Equal(4, (await http.GetPageAsync(UsagePath + "?top=4")).Rows.Count);

        // The link asks for the same top again; the server still answers its own page size.
        Assert.Contains("top=10000&skip=10", (await http.GetPageAsync(UsagePath)).NextLink, StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_one_page_holds_every_row()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 30 });

        var page = await http.GetPageAsync(UsagePath);

        Assert.Equal(http.Data.UsageRows.Count, page.Rows.Count);
        Assert.Null(page.NextLink);
    }

    [Fact]
    public async Task Skipping_past_the_end_gives_an_empty_page_with_the_total()
    {
        await using var http = await SimulatorHttp.StartAsync(Options());

        var page = await http.GetPageAsync(UsagePath + "?skip=100000");

        Assert.Empty(page.Rows);
        Assert.Null(page.NextLink);
        Assert.Equal(http.Data.UsageRows.Count, page.TotalCount);
    }

    [Theory]
    [InlineData("top=0")]
    [InlineData("top=10001")]
    [InlineData("top=-1")]
    [InlineData("top=ten")]
    [InlineData("top=")]
    [InlineData("top=1.5")]
    [InlineData("skip=-1")]
    [InlineData("skip=x")]
    [InlineData("skip=")]
    [InlineData("skip=99999999999")]
    public async Task A_top_or_skip_that_is_not_a_valid_integer_is_a_400(string query)
    {
        await using var http = await SimulatorHttp.StartAsync(Options());

        var answer = await http.GetAsync(UsagePath + "?" + query);

        Assert.Equal(400, answer.Status);
        Assert.Equal("400", answer.Json.GetProperty("code").GetString());
        Assert.StartsWith("Invalid " + query.Split('=')[0], answer.Json.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("top=1", 1)]
    [InlineData("top=10000", 10000)]
    [InlineData("skip=0", 10000)]
    public async Task The_limits_themselves_are_valid(string query, int top)
    {
        await using var http = await SimulatorHttp.StartAsync(Options());

        var page = await http.GetPageAsync(UsagePath + "?" + query);

        Assert.Equal(Math.Min(top, http.Data.UsageRows.Count), page.Rows.Count);
    }
}
