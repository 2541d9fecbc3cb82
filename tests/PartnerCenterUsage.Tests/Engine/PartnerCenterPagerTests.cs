using System.Net;
using System.Web;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>The one pager, on the commercial analytics' pages: links, skip, path forms, and broken paging.</summary>
public sealed class PartnerCenterPagerTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/");

    private static PartnerConnection Connect(ScriptedHandler handler) =>
        PartnerConnection.FromAccessToken("test-token", PartnerCenterEnvironment.Global, Endpoint,
            new PartnerCenterClientOptions { Handler = handler, MaxRetryAttempts = 0 });

    private static string Rows(int from, int count) =>
        string.Join(",", Enumerable.Range(from, count).Select(i => $$"""{"customerName": "C{{i}}", "licensesActive": {{i}}, "licensesQualified": 100}"""));

    private static async Task<List<List<string?>>> ReadAll(PartnerCenterPager<PartnerCenterUsage.Models.CustomerLicenseUsage> pager)
    {
        var pages = new List<List<string?>>();
        while (await pager.NextPageAsync(CancellationToken.None) is { } page)
        {
            pages.Add(page.Select(r => r.CustomerName).ToList());
        }

        return pages;
    }

    [Fact]
    public async Task Pages_follow_the_next_link_one_request_per_page_asked_for_until_it_is_null()
    {
        using var handler = new ScriptedHandler(request =>
        {
            var skip = int.Parse(HttpUtility.ParseQueryString(request.RequestUri!.Query)["skip"] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            var next = skip < 4 ? $"\"/v1/analytics/commercial/usage/license?top=2&skip={skip + 2}\"" : "null";
            return ScriptedHandler.Json($$"""{"Value": [{{Rows(skip, 2)}}], "@nextLink": {{next}}, "TotalCount": 6}""");
        });
        using var connection = Connect(handler);
        var pager = connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation());

        var first = await pager.NextPageAsync(CancellationToken.None);

        Assert.Equal(["C0", "C1"], first!.Select(r => r.CustomerName));
        Assert.Single(handler.Requests);
        Assert.Equal(6, pager.TotalCount);
        Assert.Equal([["C2", "C3"], ["C4", "C5"]], await ReadAll(pager));
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal("/v1/analytics/commercial/usage/license", handler.Requests[0].Uri.AbsolutePath);
        Assert.Equal("10000", HttpUtility.ParseQueryString(handler.Requests[0].Uri.Query)["top"]);
        Assert.All(handler.Requests, r => Assert.Equal("Bearer test-token", r.Authorization));
    }

    [Fact]
    public async Task Without_a_next_link_a_total_larger_than_the_rows_read_is_paged_with_skip()
    {
        using var handler = new ScriptedHandler(request =>
        {
            var skip = int.Parse(HttpUtility.ParseQueryString(request.RequestUri!.Query)["skip"] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            return ScriptedHandler.Json($$"""{"value": [{{Rows(skip, Math.Min(3, 7 - skip))}}], "totalCount": 7}""");
        });
        using var connection = Connect(handler);

        var pages = await ReadAll(connection.Client.ListLicenseUsage(new CommercialQuery().Where(CommercialField.Channel, ["reseller"]), new PartnerCenterOperation()));

        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        Assert.Equal(["0", "3", "6"], handler.Requests.Select(r => HttpUtility.ParseQueryString(r.Uri.Query)["skip"] ?? "0"));
        Assert.All(handler.Requests, r => Assert.Equal("channel eq 'reseller'", HttpUtility.ParseQueryString(r.Uri.Query)["filter"]));
    }

    [Fact]
    public async Task Without_a_link_or_a_total_a_page_as_full_as_asked_for_is_followed_by_skip_until_a_short_one()
    {
        using var handler = new ScriptedHandler(request =>
        {
            var skip = int.Parse(HttpUtility.ParseQueryString(request.RequestUri!.Query)["skip"] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            return ScriptedHandler.Json($$"""{"Value": [{{Rows(skip, skip == 0 ? 10000 : 3)}}]}""");
        });
        using var connection = Connect(handler);

        var pages = await ReadAll(connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation()));

        Assert.Equal([10000, 3], pages.Select(p => p.Count));
        Assert.Equal(["0", "10000"], handler.Requests.Select(r => HttpUtility.ParseQueryString(r.Uri.Query)["skip"] ?? "0"));
    }

    [Fact]
    public async Task A_service_that_ignores_skip_repeats_its_page_and_the_listing_stops_with_an_error_after_the_real_rows()
    {
        using var handler = new ScriptedHandler(_ => ScriptedHandler.Json($$"""{"Value": [{{Rows(0, 2)}}], "TotalCount": 5}"""));
        using var connection = Connect(handler);
        var pager = connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation());

        Assert.Equal(2, (await pager.NextPageAsync(CancellationToken.None))!.Count);
        var error = await Assert.ThrowsAsync<PartnerCenterInvalidResponseException>(() => pager.NextPageAsync(CancellationToken.None));

        Assert.Contains("same page", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.RequestId);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Copies_are_told_from_rows_over_this_page_and_the_one_before_only_so_memory_stays_two_pages()
    {
        // C0 comes again on the third page: two pages later, it is past what the pager keeps, and passes.
        var pages = new[] { Rows(0, 2), Rows(1, 2), Rows(0, 1) + "," + Rows(3, 1) };
        var calls = 0;
        using var handler = new ScriptedHandler(_ =>
        {
            var n = calls++;
            var next = n < 2 ? $"\"/v1/analytics/commercial/usage/license?skipToken={n}\"" : "null";
            return ScriptedHandler.Json($$"""{"Value": [{{pages[n]}}], "@nextLink": {{next}}}""");
        });
        using var connection = Connect(handler);
        var pager = connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation());

        Assert.Equal([["C0", "C1"], ["C2"], ["C0", "C3"]], await ReadAll(pager));
        Assert.Equal(1, pager.CopiesLeftOut);
        Assert.Equal(5, pager.RowsRead);
    }

    [Fact]
    public async Task A_total_counts_the_rows_without_the_copies_left_out()
    {
        // The second page starts a row early and the total is of the rows, not of what was sent: all three, no error.
        var calls = 0;
        using var handler = new ScriptedHandler(_ => calls++ == 0
            ? ScriptedHandler.Json($$"""{"Value": [{{Rows(0, 2)}}], "@nextLink": "/v1/analytics/commercial/usage/license?skipToken=1", "TotalCount": 3}""")
            : ScriptedHandler.Json($$"""{"Value": [{{Rows(1, 2)}}], "TotalCount": 3}"""));
        using var connection = Connect(handler);
        var pager = connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation());

        Assert.Equal([["C0", "C1"], ["C2"]], await ReadAll(pager));
        Assert.Equal((3L, 1L), (pager.RowsRead, pager.CopiesLeftOut));
    }

    [Fact]
    public async Task Skip_counts_the_rows_as_the_service_sent_them_copies_included()
    {
        using var handler = new ScriptedHandler(request =>
            HttpUtility.ParseQueryString(request.RequestUri!.Query)["skip"] is null
                ? ScriptedHandler.Json($$"""{"Value": [{{Rows(0, 1)}}, {{Rows(0, 1)}}, {{Rows(1, 1)}}], "TotalCount": 4}""")
                : ScriptedHandler.Json($$"""{"Value": [{{Rows(2, 1)}}], "TotalCount": 4}"""));
        using var connection = Connect(handler);
        var pager = connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation());

        Assert.Equal([["C0", "C1"], ["C2"]], await ReadAll(pager));
        Assert.Equal("3", HttpUtility.ParseQueryString(handler.Requests[1].Uri.Query)["skip"]);
    }

    [Fact]
    public async Task An_empty_page_before_the_total_is_reached_is_an_incomplete_listing_not_the_end()
    {
        using var handler = new ScriptedHandler(request =>
            HttpUtility.ParseQueryString(request.RequestUri!.Query)["skip"] is null
                ? ScriptedHandler.Json($$"""{"Value": [{{Rows(0, 2)}}], "TotalCount": 5}""")
                : ScriptedHandler.Json("""{"Value": [], "TotalCount": 5}"""));
        using var connection = Connect(handler);
        var pager = connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation());

        await pager.NextPageAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<PartnerCenterInvalidResponseException>(() => pager.NextPageAsync(CancellationToken.None));

        Assert.Contains("reported 5 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_next_link_back_to_a_page_already_read_stops_the_listing()
    {
        var calls = 0;
        using var handler = new ScriptedHandler(_ => ScriptedHandler.Json(
            $$"""{"Value": [{{Rows(calls++, 1)}}], "@nextLink": "/v1/analytics/commercial/usage/license?skip=1"}"""));
        using var connection = Connect(handler);

        var error = await Assert.ThrowsAsync<PartnerCenterInvalidResponseException>(() =>
            ReadAll(connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation())));

        Assert.Contains("point back", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_next_link_to_another_host_is_not_followed_and_the_token_goes_nowhere_else()
    {
        using var handler = new ScriptedHandler(_ => ScriptedHandler.Json(
            $$"""{"Value": [{{Rows(0, 1)}}], "@nextLink": "https://collector.example/v1/analytics/commercial/usage/license?skip=1"}"""));
        using var connection = Connect(handler);

        await Assert.ThrowsAsync<PartnerCenterInvalidResponseException>(() =>
            ReadAll(connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation())));

        Assert.All(handler.Requests, r => Assert.Equal(Endpoint.Host, r.Uri.Host));
    }

    [Fact]
    public async Task A_service_that_knows_only_the_partner_form_gets_it_after_one_bare_404_and_keeps_getting_it()
    {
        using var handler = new ScriptedHandler(request => request.RequestUri!.AbsolutePath.StartsWith("/partner/v1/", StringComparison.Ordinal)
            ? ScriptedHandler.Json($$"""{"Value": [{{Rows(0, 1)}}], "@nextLink": null}""")
            : new HttpResponseMessage(HttpStatusCode.NotFound));
        using var connection = Connect(handler);

        Assert.Single(Assert.Single(await ReadAll(connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation()))));
        Assert.Single(Assert.Single(await ReadAll(connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation()))));

        Assert.Equal(
            ["/v1/analytics/commercial/usage/license", "/partner/v1/analytics/commercial/usage/license", "/partner/v1/analytics/commercial/usage/license"],
            handler.Requests.Select(r => r.Uri.AbsolutePath));
    }

    [Theory]
    [InlineData("""{"statusCode": 404, "message": "Resource not found"}""")]
    [InlineData("<html><body>404 Not Found</body></html>")]
    [InlineData("""{"error": {"code": "NotFound"}}""")]
    public async Task A_404_whose_body_is_not_a_Partner_Center_error_is_an_unknown_route(string body)
    {
        using var handler = new ScriptedHandler(request => request.RequestUri!.AbsolutePath.StartsWith("/partner/v1/", StringComparison.Ordinal)
            ? ScriptedHandler.Json($$"""{"Value": [{{Rows(0, 1)}}], "@nextLink": null}""")
            : ScriptedHandler.Json(body, HttpStatusCode.NotFound));
        using var connection = Connect(handler);

        Assert.Single(Assert.Single(await ReadAll(connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation()))));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_404_with_a_Partner_Center_error_body_is_the_service_s_answer_not_an_unknown_route()
    {
        using var handler = new ScriptedHandler(_ => ScriptedHandler.Json("""{"code": "1000", "description": "Not found."}""", HttpStatusCode.NotFound));
        using var connection = Connect(handler);

        var error = await Assert.ThrowsAsync<PartnerCenterApiException>(() =>
            connection.Client.ListLicenseUsage(new CommercialQuery(), new PartnerCenterOperation()).NextPageAsync(CancellationToken.None));

        Assert.Equal(404, error.StatusCode);
        Assert.Null(error.CustomerId);
        Assert.True(error.HasErrorBody);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Grouped_rows_keep_only_the_grouped_fields_whatever_else_the_service_sends()
    {
        using var handler = new ScriptedHandler(_ => ScriptedHandler.Json(
            """{"Value": [{"customerTenantId": "00000000-0000-0000-0000-000000000000", "customerName": "", "productName": "E3", "workloadName": "Exchange", "licensesActive": 1, "licensesQualified": 2}], "@nextLink": null}"""));
        using var connection = Connect(handler);
        var query = new CommercialQuery();
        query.GroupBy.Add(CommercialField.ProductName);

        var row = Assert.Single((await connection.Client.ListLicenseUsage(query, new PartnerCenterOperation()).NextPageAsync(CancellationToken.None))!);

        Assert.Equal("E3", row.ProductName);
        Assert.Null(row.CustomerId);
        Assert.Null(row.CustomerName);
        Assert.Null(row.WorkloadName);
        Assert.Equal(1, row.LicensesInactive);
    }

    [Fact]
    public async Task Deployment_rows_read_with_the_unassigned_licenses_and_the_share_computed_when_not_sent()
    {
        using var handler = new ScriptedHandler(_ => ScriptedHandler.Json(
            """{"Value": [{"customerTenantId": "0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e", "productId": "CFQ7TTC0LF8Q", "licensesDeployed": 6, "licensesSold": 8, "processedDateTime": "2026-11-01T00:00:00"}], "@nextLink": null, "TotalCount": 1}"""));
        using var connection = Connect(handler);

        var row = Assert.Single((await connection.Client.ListLicenseDeployment(new CommercialQuery(), new PartnerCenterOperation()).NextPageAsync(CancellationToken.None))!);

        Assert.Equal("/v1/analytics/commercial/deployment/license", handler.Requests[0].Uri.AbsolutePath);
        Assert.Equal(Guid.Parse("0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e"), row.CustomerId);
        Assert.Equal("CFQ7TTC0LF8Q", row.ProductId);
        Assert.Equal(2, row.LicensesUnassigned);
        Assert.Equal(75.0, row.DeploymentPercent);
        Assert.Null(row.ServiceName);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), row.ProcessedDateTime);
    }
}
