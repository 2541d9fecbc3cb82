using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>
/// The two path forms of the commercial analytics (/v1/... in the documentation's syntax, /partner/v1/... in its
/// examples): the form a simulator does not serve is a 404 with an empty body, as from a gateway.
/// </summary>
public sealed class CommercialPathFormTests
{
    [Theory]
    [InlineData(CommercialPathForm.Both, "/v1", 200)]
    [InlineData(CommercialPathForm.Both, "/partner/v1", 200)]
    [InlineData(CommercialPathForm.DocumentedOnly, "/v1", 200)]
    [InlineData(CommercialPathForm.DocumentedOnly, "/partner/v1", 404)]
    [InlineData(CommercialPathForm.PartnerPrefixOnly, "/v1", 404)]
    [InlineData(CommercialPathForm.PartnerPrefixOnly, "/partner/v1", 200)]
    public async Task Each_setting_serves_its_forms_of_both_reports(CommercialPathForm paths, string prefix, int status)
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3, CommercialPaths = paths });

        foreach (var report in (string[])["/analytics/commercial/usage/license", "/analytics/commercial/deployment/license"])
        {
            using var response = await http.Client.GetAsync(new Uri(prefix + report, UriKind.Relative));

            Assert.Equal(status, (int)response.StatusCode);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (status == 404)
            {
                Assert.Empty(body);
                Assert.Equal(0, response.Content.Headers.ContentLength);
            }
            else
            {
                Assert.True(CommercialPage.Read(System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(body)).TotalCount > 0);
            }
        }
    }

    [Fact]
    public async Task Both_forms_answer_the_same_rows()
    {
        await using var http = await SimulatorHttp.StartAsync();

        var documented = await http.GetAsync("/v1/analytics/commercial/usage/license?filter=channel%20eq%20%27direct%27");
        var prefixed = await http.GetAsync("/partner/v1/analytics/commercial/usage/license?filter=channel%20eq%20%27direct%27");

        Assert.Equal(documented.Body, prefixed.Body);
    }

    [Fact]
    public async Task A_route_the_simulator_does_not_know_still_gets_a_Partner_Center_error_body()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3, CommercialPaths = CommercialPathForm.DocumentedOnly });

        var unknown = await http.GetAsync("/v1/analytics/commercial/usage/subscription");
        var disabled = await http.GetAsync("/partner/v1/analytics/commercial/usage/license");

        Assert.Equal(404, unknown.Status);
        Assert.Equal("1000", unknown.Json.GetProperty("code").GetString());
        Assert.Equal((404, ""), (disabled.Status, disabled.Body));
    }

    [Fact]
    public async Task Requests_to_the_disabled_form_are_recorded()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3, CommercialPaths = CommercialPathForm.PartnerPrefixOnly });

        await http.GetAsync("/v1/analytics/commercial/deployment/license");

        var request = Assert.Single(http.Simulator.Requests.Snapshot());
        Assert.Equal(("/v1/analytics/commercial/deployment/license", 404), (request.Path, request.StatusCode));
    }
}
