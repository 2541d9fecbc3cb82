using System.Diagnostics;
using System.Globalization;
using PartnerCenterUsage.Benchmarks;
using System.Management.Automation.Runspaces;
using System.Text;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Simulator;

// The figures of docs/performance.md, measured side by side in one process against the simulator:
//   dotnet run -c Release --project tests/PartnerCenterUsage.Benchmarks [-- --quick] [--out results.md]
// One scenario, repeated (--repeats N): -- --only rate|faults|commercial|overhead|storm|report|reduction|readback|reader|memory; --timeline prints each run's
// requests second by second, for seeing where the time goes. "report" is Export-PCLicenseReport over 100,000 rows
// made in the benchmark itself (no simulator), 3 rounds and their median: see LicenseReportBench.
// Every other scenario runs `Get-PCCustomer | Get-PCCustomerLicenseUsage` in the hosted PowerShell 7.6 engine, into a
// sink that counts rows per customer without keeping them.
var quick = args.Contains("--quick");
Bench.Timeline = args.Contains("--timeline");
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : null;
var repeatsIndex = Array.IndexOf(args, "--repeats");
int? repeatsAsked = repeatsIndex >= 0 && repeatsIndex + 1 < args.Length ? int.Parse(args[repeatsIndex + 1], CultureInfo.InvariantCulture) : null;
if (only == "report")
{
    // --html <file> keeps the last round's report, for looking at it.
    var htmlIndex = Array.IndexOf(args, "--html");
    Console.WriteLine(LicenseReportBench.Run(repeatsAsked ?? 3, browser: true, keep: htmlIndex >= 0 && htmlIndex + 1 < args.Length ? Path.GetFullPath(args[htmlIndex + 1]) : null));
    return 0;
}

if (only == "readback")
{
    // Import-PCLicenseReport over a 10,000-customer page, and the bytes a baseline adds: see ReportReadBackBench.
    Console.WriteLine(ReportReadBackBench.Run(repeatsAsked ?? 3));
    return 0;
}

if (only == "reader")
{
    // The reader alone over a 10,000-row page: as it is, with a broken character, with control characters: see ReaderBench.
    Console.WriteLine(ReaderBench.Run(repeatsAsked ?? 30));
    return 0;
}

if (only == "memory")
{
    // Large answers in flight at once: peak memory against the answers' sizes, see LargeAnswersBench.
    var bodyIndex = Array.IndexOf(args, "--body");
    var customersIndex = Array.IndexOf(args, "--customers");
    var budgetIndex = Array.IndexOf(args, "--budget");
    Console.WriteLine(LargeAnswersBench.Header);
    Console.WriteLine(await LargeAnswersBench.RunAsync(
        bodyIndex >= 0 && bodyIndex + 1 < args.Length ? args[bodyIndex + 1] : "padded",
        args.Contains("--chunked"),
        customersIndex >= 0 && customersIndex + 1 < args.Length ? int.Parse(args[customersIndex + 1], CultureInfo.InvariantCulture) : 16,
        budgetIndex >= 0 && budgetIndex + 1 < args.Length ? long.Parse(args[budgetIndex + 1], CultureInfo.InvariantCulture) : null,
        args.Contains("--hosted")));
    return 0;
}

if (only == "reduction")
{
    // Get-PCLicenseReduction over 1,000 customers at 50 ms: requests by route against the budget, time against the bound.
    Console.WriteLine(await LicenseReductionBench.RunAsync(repeatsAsked ?? 3));
    return 0;
}

if (only is not null)
{
    // Not measured: the first run of a process pays for loading and compiling the module, the engine and the simulator.
    await Bench.RunAsync("warm-up", 200, TimeSpan.Zero, null, null);
}

if (only == "storm")
{
    // The storms, 3 times: each time the unthrottled run, then the 5 s and the 30 s storm from the first request and
    // mid-run (about 2.5 minutes a time).
    Console.WriteLine(Storms.Header);
    for (var i = 0; i < (repeatsAsked ?? 3); i++)
    {
        foreach (var storm in await Storms.RunAsync(quick ? 500 : Storms.Customers))
        {
            Console.WriteLine(storm.Row());
        }
    }

    return 0;
}

if (only is not null)
{
    // One scenario, repeated: for looking at its spread while tuning. "rate", "faults", "commercial"; "storm" above.
    var repeats = repeatsAsked ?? 5;
    for (var i = 0; i < repeats; i++)
    {
        var r = only switch
        {
            "rate" => await Bench.RunAsync("rate", quick ? 100 : 500, TimeSpan.FromMilliseconds(50), null, o => { o.RateLimit = 100; o.RateLimitBurst = 10; }),
            "faults" => await Bench.RunAsync("faults", quick ? 100 : 500, TimeSpan.FromMilliseconds(50), null,
                o => o.RandomFaults = new RandomFaults { ServerErrorRate = 0.10, ThrottleRate = 0.05, ThrottleRetryAfter = "1", DropRate = 0.02, Seed = 2026 + i }),
            "commercial" => await Bench.RunAsync("commercial", quick ? 1_000 : 10_000, TimeSpan.FromMilliseconds(50), null, null, Bench.Commercial),
            // No latency: what the module itself costs a request (the transport, the retry policy, the fan-out).
            "overhead" => await Bench.RunAsync("overhead", quick ? 1_000 : 20_000, TimeSpan.Zero, null, null),
            _ => throw new ArgumentException("--only takes rate, faults, commercial, overhead, storm, report, reduction, readback or reader"),
        };
        Console.WriteLine(r.Row());
    }

    return 0;
}

var outIndex = Array.IndexOf(args, "--out");
var outPath = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : null;
var portfolio = quick ? 100 : 500;
var latency = TimeSpan.FromMilliseconds(50);
int defaultLimit;
using (var probe = new HostedPowerShell())
{
    // The module's own default, as users get it.
    defaultLimit = (int)probe.Invoke("[PartnerCenterUsage.Commands.GetPCCustomerLicenseUsageCommand]::DefaultThrottleLimit").Objects.Single();
}

var results = new List<Result>();
async Task<Result> Measure(string name, int customers, TimeSpan delay, int? throttleLimit, Action<SimulatorOptions>? tune = null, string script = Bench.PerCustomer)
{
    var result = await Bench.RunAsync(name, customers, delay, throttleLimit, tune, script);
    results.Add(result);
    Console.WriteLine(result.Row());
    return result;
}

Console.WriteLine(Result.Header);
var sweep = new Dictionary<int, Result>();
foreach (var limit in new[] { 1, 2, 4, 8, 16, 32 })
{
    sweep[limit] = await Measure($"{portfolio} customers, 50 ms, -ThrottleLimit {limit}", portfolio, latency, limit);
}

var sequential = sweep[1];
var concurrent = sweep.TryGetValue(defaultLimit, out var atDefault) ? atDefault : await Measure($"{portfolio} customers, 50 ms, default", portfolio, latency, null);
var rateLimited = await Measure($"{portfolio} customers, 50 ms, 100 req/s limit", portfolio, latency, null, o => { o.RateLimit = 100; o.RateLimitBurst = 10; });
var faulty = await Measure($"{portfolio} customers, 50 ms, faults 10% 5xx 5% 429 2% drops", portfolio, latency, null,
    o => o.RandomFaults = new RandomFaults { ServerErrorRate = 0.10, ThrottleRate = 0.05, ThrottleRetryAfter = "1", DropRate = 0.02, Seed = 2026 });
var small = await Measure(quick ? "1,000 customers, no latency" : "1,000 customers, no latency", 1_000, TimeSpan.Zero, null);
var large = await Measure(quick ? "5,000 customers, no latency" : "20,000 customers, no latency", quick ? 5_000 : 20_000, TimeSpan.Zero, null);

// The whole portfolio: the commercial analytics against the per-customer report, 10,000 customers at 50 ms; and the
// commercial report's memory at 1,000 against 10,000 customers.
var portfolioCustomers = quick ? 2_000 : 10_000;
var byCommercial = await Measure($"{portfolioCustomers:N0} customers, 50 ms, Get-PCLicenseUsage", portfolioCustomers, latency, null, null, Bench.Commercial);
var byCustomer = await Measure($"{portfolioCustomers:N0} customers, 50 ms, Get-PCCustomer | Get-PCCustomerLicenseUsage", portfolioCustomers, latency, null);
var commercialSmall = await Measure("1,000 customers, 50 ms, Get-PCLicenseUsage", 1_000, latency, null, null, Bench.Commercial);

// Export-PCLicenseReport over 100,000 rows: one round, without the browser (--only report has both).
var licenseReport = LicenseReportBench.Run(1, browser: false);
Console.WriteLine(licenseReport);

// Throttling storms: the same customers with no storm, then through a 5 s and a 30 s storm, from the first request and
// from 5 s into the run.
var storms = await Storms.RunAsync(quick ? 500 : Storms.Customers);
foreach (var storm in storms)
{
    Console.WriteLine(storm.Row());
}

// Startup: Import-Module and the first call, in fresh processes (cold) and fresh runspaces of one process (warm).
var probePath = typeof(Bench).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
    .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "IsolationProbe").Value!;
var startups = new List<Dictionary<string, double>>();
for (var i = 0; i < (quick ? 2 : 5); i++)
{
    startups.Add(await Startup.MeasureAsync(probePath, quick ? 5 : 20));
}

double MedianOf(string key) => startups.Select(s => s[key]).Order().ElementAt(startups.Count / 2);
var startupReport = new StringBuilder()
    .AppendLine(string.Create(CultureInfo.InvariantCulture, $"| startup ({startups.Count} fresh processes, median) | ms |"))
    .AppendLine("| --- | ---: |");
foreach (var key in new[] { "cold-import-ms", "warm-import-median-ms", "cold-first-call-ms", "warm-first-call-median-ms" })
{
    startupReport.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {key} | {MedianOf(key):0.0} |"));
}

Console.WriteLine(startupReport);
var speedUp = sequential.Wall.TotalSeconds / concurrent.Wall.TotalSeconds;
var rateBound = (portfolio + 1) / 100.0;
var memoryGrowth = (large.RunHeap - small.RunHeap) / 1024.0 / 1024.0;
var workingSetGrowth = (large.PeakWorkingSet - small.PeakWorkingSet) / 1024.0 / 1024.0;
var report = new StringBuilder()
    .AppendLine(Result.Header).AppendLine(Result.Rule);
foreach (var result in results)
{
    report.AppendLine(result.Row());
}

report.AppendLine()
    .AppendLine("| ratio | measured | target | met |")
    .AppendLine("| --- | --- | --- | --- |")
    .AppendLine(Ratio($"speed-up of -ThrottleLimit {defaultLimit} (default) over 1", speedUp, $">= {0.75 * defaultLimit:0.0}", speedUp >= 0.75 * defaultLimit))
    .AppendLine(Ratio("rate-limited wall time / (customers / rate)", rateLimited.Wall.TotalSeconds / rateBound, "<= 1.25", rateLimited.Wall.TotalSeconds / rateBound <= 1.25 && rateLimited.Lost + rateLimited.Doubled == 0))
    .AppendLine(Ratio("faults: customers lost + doubled", faulty.Lost + faulty.Doubled, "0", faulty.Lost + faulty.Doubled == 0))
    .AppendLine(Ratio($"run's live heap, {large.Customers:N0} minus {small.Customers:N0} customers (MB)", memoryGrowth, "<= 64", memoryGrowth <= 64))
    .AppendLine(Ratio($"peak working set, {large.Customers:N0} minus {small.Customers:N0} customers (MB; the simulator's data included)", workingSetGrowth, "-", true))
    .AppendLine(Ratio($"first row before the listing finished ({large.Customers:N0}), s ahead", large.FirstRowLead.TotalSeconds, "> 0", large.FirstRowLead > TimeSpan.Zero))
    .AppendLine(Ratio("Import-Module in a warm process (ms)", MedianOf("warm-import-median-ms"), "< 100", MedianOf("warm-import-median-ms") < 100))
    .AppendLine(Ratio($"Get-PCLicenseUsage, {portfolioCustomers:N0} customers: requests", byCommercial.Requests, "<= 7", byCommercial.Requests <= 7 && byCommercial.Lost + byCommercial.Doubled == 0))
    .AppendLine(Ratio("per-customer wall time / Get-PCLicenseUsage wall time", byCustomer.Wall / byCommercial.Wall, ">= 30", byCustomer.Wall / byCommercial.Wall >= 30))
    .AppendLine(Ratio("Get-PCLicenseUsage: first row after (s)", byCommercial.FirstRow.TotalSeconds, "-", true))
    .AppendLine(Ratio("per customer: first row after (s)", byCustomer.FirstRow.TotalSeconds, "-", true))
    .AppendLine(Ratio($"Get-PCLicenseUsage run's live heap, {portfolioCustomers:N0} minus 1,000 customers (MB)", (byCommercial.RunHeap - commercialSmall.RunHeap) / 1048576.0, "<= 64", byCommercial.RunHeap - commercialSmall.RunHeap <= 64L * 1048576));
foreach (var storm in storms.Where(s => s.Storm > TimeSpan.Zero))
{
    report
        .AppendLine(Ratio($"{storm.Name}: wall time / (storm + unthrottled wall time)", storm.Ratio, "<= 1.25", storm.Ratio <= 1.25))
        .AppendLine(Ratio($"{storm.Name}: customers lost + doubled", storm.Run.Lost + storm.Run.Doubled, "0", storm.Run.Lost + storm.Run.Doubled == 0 && storm.Run.Errors == 0));
}

report
    .AppendLine()
    .AppendLine(Storms.Header).AppendLine(Storms.Rule);
foreach (var storm in storms)
{
    report.AppendLine(storm.Row());
}

report
    .AppendLine()
    .Append(startupReport)
    .AppendLine()
    .Append(licenseReport);
Console.WriteLine();
Console.WriteLine(report);
if (outPath is not null)
{
    await File.WriteAllTextAsync(outPath, report.ToString());
}

return 0;

static string Ratio(string name, double value, string target, bool met) =>
    string.Create(CultureInfo.InvariantCulture, $"| {name} | {value:0.00} | {target} | {(met ? "yes" : "NO")} |");

/// <summary>One measured run.</summary>
internal sealed record Result(
    string Name, int Customers, long Rows, long Requests, long Retries, int Errors, int Lost, int Doubled, TimeSpan Wall,
    long PeakWorkingSet, long PeakHeap, TimeSpan FirstRowLead)
{
    /// <summary>From the start of the run to the first row at the end of the pipeline.</summary>
    public TimeSpan FirstRow { get; init; }

    /// <summary>The peak live heap above what the process held before the run (the simulator's data, the session).</summary>
    public long RunHeap { get; init; }

    /// <summary>The requests the simulator's throttling storm refused (429).</summary>
    public int StormRefusals { get; init; }

    public const string Header = "| scenario | customers | rows | requests | retries | errors | lost | doubled | wall s | peak working set MB | peak live heap MB | run's live heap MB |";
    public const string Rule = "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {Customers:N0} | {Rows:N0} | {Requests:N0} | {Retries:N0} | {Errors} | {Lost} | {Doubled} | {Wall.TotalSeconds:0.00} | {PeakWorkingSet / 1048576.0:0} | {PeakHeap / 1048576.0:0} | {RunHeap / 1048576.0:0} |");
}

/// <summary>Runs one scenario in a fresh simulator and runspace.</summary>
internal static class Bench
{
    /// <summary>The per-customer portfolio report.</summary>
    public const string PerCustomer = "$p = $args[0]; Get-PCCustomer | Get-PCCustomerLicenseUsage @p | Measure-UsageRows";

    /// <summary>The same rows from the commercial analytics.</summary>
    public const string Commercial = "Get-PCLicenseUsage | Measure-UsageRows";

    /// <summary>
    /// Prints the run's requests second by second, as the simulator saw them (received, answered 429), with when the first
    /// row arrived and how many times the whole run was paused: for seeing where a run's time goes (<c>--timeline</c>).
    /// Records every request: not for memory figures.
    /// </summary>
    public static bool Timeline { get; set; }

    public static Task<Result> RunAsync(string name, int customers, TimeSpan latency, int? throttleLimit, Action<SimulatorOptions>? tune) =>
        RunAsync(name, customers, latency, throttleLimit, tune, PerCustomer);

    public static async Task<Result> RunAsync(string name, int customers, TimeSpan latency, int? throttleLimit, Action<SimulatorOptions>? tune, string script)
    {
        var options = new SimulatorOptions { CustomerCount = customers - 1, Latency = latency, RecordRequests = Timeline };
        tune?.Invoke(options);
        await using var simulator = await PartnerCenterSimulator.StartAsync(options);
        using var shell = new HostedPowerShell(configure: state => state.Commands.Add(new SessionStateCmdletEntry("Measure-UsageRows", typeof(MeasureUsageRowsCommand), null)));
        shell.Invoke("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] | Out-Null", SimulatorOptions.DefaultToken, simulator.BaseAddress);
        var tally = MeasureUsageRowsCommand.Reset();
        simulator.Requests.Clear();
        var pagesBefore = simulator.CustomerPagesServed;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // What the simulator and the session hold before the run (the simulator's data grows with the customers):
        // the run's own memory is the peak above it.
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var sampler = new MemorySampler();
        var started = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        var parameters = new System.Collections.Hashtable();
        if (throttleLimit is { } limit)
        {
            parameters["ThrottleLimit"] = limit;
        }

        var run = shell.Invoke(script, parameters);
        stopwatch.Stop();
        var (peakWorkingSet, peakHeap) = sampler.Stop();

        var lost = 0;
        var doubled = 0;
        foreach (var customer in simulator.Data.Customers)
        {
            var seen = tally.Rows.GetValueOrDefault(customer.Id);
            lost += seen < customer.Usage.Count ? 1 : 0;
            doubled += seen > customer.Usage.Count ? 1 : 0;
        }

        var requests = simulator.Requests.Count;
        var pages = simulator.CustomerPagesServed - pagesBefore;
        var lead = simulator.LastCustomerPageServedAt is { } listed && tally.FirstRowAt is { } first ? listed - first : TimeSpan.Zero;
        var retries = script == PerCustomer ? requests - simulator.Data.Customers.Count - pages : 0;
        if (Timeline)
        {
            var pauses = run.Progress.Count(p => p.StatusDescription?.Contains("every request waits", StringComparison.Ordinal) == true);
            PrintTimeline(name, simulator.Requests.Snapshot(), started, tally.FirstRowAt, stopwatch.Elapsed, pauses);
        }

        return new Result(name, simulator.Data.Customers.Count, tally.Total, requests, retries,
            run.Errors.Count, lost, doubled, stopwatch.Elapsed, peakWorkingSet, peakHeap, lead)
        {
            FirstRow = tally.FirstRowAt is { } at ? at - started : TimeSpan.Zero,
            RunHeap = Math.Max(0, peakHeap - baseline),
            StormRefusals = simulator.StormRefusals,
        };
    }

    private static void PrintTimeline(string name, IReadOnlyList<RecordedRequest> requests, DateTimeOffset started, DateTimeOffset? firstRow, TimeSpan wall, int pauses)
    {
        var seconds = (int)Math.Ceiling(wall.TotalSeconds);
        var sent = new int[seconds + 1];
        var refused = new int[seconds + 1];
        foreach (var request in requests)
        {
            var second = Math.Clamp((int)(request.ReceivedAt - started).TotalSeconds, 0, seconds);
            sent[second]++;
            refused[second] += request.StatusCode == 429 ? 1 : 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timeline of {name}: requests received / of them 429, second by second; first row at {((firstRow ?? started) - started).TotalSeconds:0.00} s, end at {wall.TotalSeconds:0.00} s; {pauses} pauses of the whole run"));
        Console.WriteLine(string.Join(" ", Enumerable.Range(0, seconds).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i}:{sent[i]}/{refused[i]}"))));
    }
}

/// <summary>
/// Samples the process's working set, and the live GC heap (after a full collection, every 50 ms: garbage that a
/// later collection would free says nothing about streaming), while a run goes on.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peakWorkingSet;
    private long _peakHeap;

    public MemorySampler()
    {
        _sampling = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!_stop.IsCancellationRequested)
            {
                process.Refresh();
                _peakWorkingSet = Math.Max(_peakWorkingSet, process.WorkingSet64);
                _peakHeap = Math.Max(_peakHeap, GC.GetTotalMemory(forceFullCollection: true));
                try
                {
                    await Task.Delay(50, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    public (long WorkingSet, long Heap) Stop()
    {
        _stop.Cancel();
        _sampling.Wait();
        return (_peakWorkingSet, _peakHeap);
    }

    public void Dispose() => _stop.Dispose();
}

/// <summary>Runs the isolation probe's timing scenario in a fresh process.</summary>
internal static class Startup
{
    public static async Task<Dictionary<string, double>> MeasureAsync(string probe, int runs)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add("import-timing");
        start.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').Single(l => l.StartsWith("timing ", StringComparison.Ordinal));
        return line["timing ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(pair => pair[0], pair => double.Parse(pair[1], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Throttling storms: for the storm's length every request is answered 429 (Retry-After 1), either from the run's first
/// request on (the customer listing alone meets it: nothing else is sent before the listing's first page) or from 5 s into
/// the run, when the run is at full speed (the listing done, the usage requests at the default -ThrottleLimit in flight).
/// The same customers run with no storm first, in the same process, for the unthrottled wall time each storm is held to.
/// </summary>
internal static class Storms
{
    public const int Customers = 2_000;

    /// <summary>How long after the first request the mid-run storms begin.</summary>
    public static readonly TimeSpan MidRun = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan[] Lengths = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    public const string Header = "| scenario | customers | rows | requests | retries | errors | lost | doubled | 429s | wall s | storm + unthrottled s | ratio |";
    public const string Rule = "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    /// <summary>The unthrottled run (ratio 1 by definition), then each storm at the first request and mid-run.</summary>
    public static async Task<List<StormResult>> RunAsync(int customers)
    {
        var latency = TimeSpan.FromMilliseconds(50);
        var unthrottled = await Bench.RunAsync($"{customers:N0} customers, 50 ms, no storm", customers, latency, null, null);
        var results = new List<StormResult> { new(unthrottled, TimeSpan.Zero, TimeSpan.Zero, unthrottled.Wall) };
        foreach (var after in new[] { TimeSpan.Zero, MidRun })
        {
            foreach (var length in Lengths)
            {
                var when = after == TimeSpan.Zero ? "from the first request" : string.Create(CultureInfo.InvariantCulture, $"from {after.TotalSeconds:0} s in");
                var run = await Bench.RunAsync(string.Create(CultureInfo.InvariantCulture, $"{customers:N0} customers, 50 ms, {length.TotalSeconds:0} s storm {when}"),
                    customers, latency, null, o => { o.ThrottleStorm = length; o.ThrottleStormAfter = after; o.ThrottleStormRetryAfter = "1"; });
                results.Add(new StormResult(run, length, after, unthrottled.Wall));
            }
        }

        return results;
    }
}

/// <summary>One storm run, held to the storm's length plus the unthrottled wall time of the same customers.</summary>
internal sealed record StormResult(Result Run, TimeSpan Storm, TimeSpan After, TimeSpan Unthrottled)
{
    public TimeSpan Bound => Storm + Unthrottled;

    /// <summary>The storm, for the ratio table.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture,
        $"{Storm.TotalSeconds:0} s storm {(After == TimeSpan.Zero ? "from the first request" : $"from {After.TotalSeconds:0} s in")}");

    public double Ratio => Run.Wall / Bound;

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Run.Name} | {Run.Customers:N0} | {Run.Rows:N0} | {Run.Requests:N0} | {Run.Retries:N0} | {Run.Errors} | {Run.Lost} | {Run.Doubled} | {Run.StormRefusals:N0} | {Run.Wall.TotalSeconds:0.00} | {Bound.TotalSeconds:0.00} | {Ratio:0.00} |");
}
