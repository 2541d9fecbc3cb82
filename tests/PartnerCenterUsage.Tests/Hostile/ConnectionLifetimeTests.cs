using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Models;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>
/// A command in flight keeps the connection it started with until it ends: a Disconnect-PCPartner or Connect-PCPartner
/// in a script block of the same pipeline takes the session's connection away for later commands, never from under the
/// requests of the running one (which failed every customer with "disposed HttpClient"). And a session holds a bounded
/// number of the customers its answers name.
/// </summary>
public sealed class ConnectionLifetimeTests
{
    private static readonly Guid[] Customers = Enumerable.Range(1, 100).Select(n => Guid.Parse($"c0000000-0000-4000-8000-{n:D12}")).ToArray();

    [Theory]
    [InlineData("Disconnect-PCPartner")]
    [InlineData("Connect-PCPartner -AccessToken 'another-token' -Endpoint $endpoint | Out-Null")]
    public async Task A_fan_out_keeps_its_connection_when_the_session_s_changes_halfway(string change)
    {
        await using var scenario = await HostileScenario.StartAsync();
        var usage = HostileEndpoints.Get("customer usage");
        scenario.Server.Answer(r => usage.Valid(scenario.Server, r));

        var run = scenario.Run(
            "$endpoint = $args[1]; $args[0] | ForEach-Object -Begin { $n = 0 } -Process { $n++; if ($n -eq 50) { " + change + " }; $_ } | Get-PCCustomerLicenseUsage -ThrottleLimit 4",
            Customers, scenario.Server.BaseAddress);

        Assert.Empty(run.Errors);
        Assert.Equal(200, run.Output.Count);
        Assert.Equal(Customers, run.Output.Select(o => o.Prop<Guid>("CustomerId")).Distinct().Order().ToArray());
        // Every request of the run went with the sign-in it started with.
        Assert.All(scenario.RequestsTo("/analytics/licenses/usage"), r => Assert.Equal("Bearer " + HostileScenario.Token, r.Authorization));

        // The next command runs on what the session has now.
        var next = scenario.Run("$args[0] | Get-PCCustomerLicenseUsage", Customers[0]);
        if (change.StartsWith("Disconnect", StringComparison.Ordinal))
        {
            Assert.Equal("NotConnected", Assert.Single(next.ErrorIds));
        }
        else
        {
            Assert.Empty(next.Errors);
            Assert.Equal("Bearer another-token", scenario.Server.Requests[^1].Authorization);
        }
    }

    [Fact]
    public async Task A_listing_keeps_its_connection_when_a_later_stage_disconnects_after_the_first_row()
    {
        await using var scenario = await HostileScenario.StartAsync();
        var portfolio = HostileEndpoints.Get("portfolio usage");
        var pages = 0;
        scenario.Server.On(portfolio.Path, r =>
        {
            var page = Interlocked.Increment(ref pages);
            var items = Enumerable.Range(1, 3).Select(n => portfolio.Item(Customers[((page - 1) * 3) + n], n)).ToList();
            return portfolio.Page(scenario.Server, items, page < 4 ? page.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        });

        var run = scenario.Run("Get-PCLicenseUsage | ForEach-Object -Begin { $done = $false } -Process { if (-not $done) { Disconnect-PCPartner; $done = $true }; $_ }");

        Assert.Empty(run.Errors);
        Assert.Equal(12, run.Output.Count);
        Assert.Equal(4, pages);
        Assert.Equal("NotConnected", Assert.Single(scenario.Run("Get-PCLicenseUsage").ErrorIds));
    }

    [Fact]
    public void A_session_keeps_a_bounded_number_of_the_customers_its_answers_name_and_still_updates_those_it_has()
    {
        var directory = new CustomerDirectory();
        var first = Guid.Parse("00000000-0000-4000-8000-000000000001");
        directory.Note(first, null);

        for (var n = 2; n <= CustomerDirectory.MaxCustomers + 10_000; n++)
        {
            directory.Note(new Guid(n, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 1), "Customer " + n);
        }

        directory.Note(new PartnerCustomer { CustomerId = first, CompanyName = "First, by its record" });

        Assert.Equal(CustomerDirectory.MaxCustomers, directory.Known.Count);
        Assert.Equal("First, by its record", directory.Known.Single(c => c.CustomerId == first).CompanyName);
    }
}
