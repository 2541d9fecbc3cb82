using System.Diagnostics;
using System.Globalization;
using System.Management.Automation.Runspaces;
using System.Text;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Simulator;

namespace PartnerCenterUsage.Benchmarks;

/// <summary>
/// Get-PCLicenseReduction over the whole portfolio (issue 19's target): 1,000 customers at 50 ms latency, with the
/// default concurrency, without a rate limit and under the simulator's 100 requests a second. Each run counts the
/// requests by route (commercial analytics, subscriptions, catalog SKUs, provisioning status, anything else) and
/// checks them against the budget (the commercial requests plus one per customer, plus one per distinct catalog SKU
/// and per legacy subscription, which the simulator's data makes few), and the wall time against the bound
/// 1.25 × max(requests ÷ concurrency × latency, requests ÷ rate limit).
/// </summary>
internal static class LicenseReductionBench
{
    public const int Customers = 1_000;
    private const int Concurrency = 8;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(50);

    public static async Task<string> RunAsync(int repeats)
    {
        var report = new StringBuilder();
        report.AppendLine("| run | customers | rows | errors | commercial | subscriptions | catalog | provisioning | other | requests | bound | time | within |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var rate in new double?[] { null, 100 })
        {
            for (var i = 0; i < repeats; i++)
            {
                report.AppendLine(await RunOnceAsync(rate));
            }
        }

        return report.ToString();
    }

    private static async Task<string> RunOnceAsync(double? rateLimit)
    {
        var options = new SimulatorOptions { CustomerCount = Customers - 1, Latency = Latency, RecordRequests = true, RateLimit = rateLimit };
        if (rateLimit is not null)
        {
            options.RateLimitBurst = 10;
        }

        await using var simulator = await PartnerCenterSimulator.StartAsync(options);
        using var shell = new HostedPowerShell(configure: state => state.Commands.Add(new SessionStateCmdletEntry("Out-Discard", typeof(OutDiscardCommand), null)));
        shell.Invoke("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] | Out-Null", SimulatorOptions.DefaultToken, simulator.BaseAddress);

        // Warm: the module's first command pays for loading; the catalog cache is per connection, so a new one is made.
        shell.Invoke("Get-PCLicenseReduction -CustomerId $args[0] | Out-Discard", simulator.Data.Customers[1].Id);
        shell.Invoke("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] | Out-Null", SimulatorOptions.DefaultToken, simulator.BaseAddress);
        simulator.Requests.Clear();
        OutDiscardCommand.Received = 0;

        var stopwatch = Stopwatch.StartNew();
        var run = shell.Invoke("Get-PCLicenseReduction | Out-Discard");
        stopwatch.Stop();

        var requests = simulator.Requests.Snapshot();
        int Count(Func<string, bool> match) => requests.Count(r => match(r.Path));
        var commercial = Count(p => p.Contains("/analytics/commercial/", StringComparison.Ordinal));
        var provisioning = Count(p => p.EndsWith("/provisioningstatus", StringComparison.Ordinal));
        var subscriptions = Count(p => p.EndsWith("/subscriptions", StringComparison.Ordinal));
        var catalog = Count(p => p.StartsWith("/v1/products/", StringComparison.Ordinal));
        var other = requests.Count - commercial - provisioning - subscriptions - catalog;
        var customers = simulator.Data.Customers.Count(c => c.Deployment.Count > 0 || c.Usage.Count > 0);
        var byLatency = requests.Count / (double)Concurrency * Latency.TotalSeconds;
        var byRate = rateLimit is { } rate ? requests.Count / rate : 0;
        var bound = 1.25 * Math.Max(byLatency, byRate);
        var time = stopwatch.Elapsed.TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {(rateLimit is null ? "no rate limit" : $"{rateLimit} req/s")} | {customers:N0} | {OutDiscardCommand.Received:N0} | {run.Errors.Count} | {commercial} | {subscriptions:N0} | {catalog} | {provisioning} | {other} | {requests.Count:N0} | {bound:0.00} s | {time:0.00} s | {(time <= bound ? "yes" : "NO")} |");
    }
}
