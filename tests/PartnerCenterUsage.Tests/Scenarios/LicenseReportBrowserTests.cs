using System.Globalization;
using PartnerCenterUsage.Models;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;
using Xunit.Abstractions;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Export-PCLicenseReport's page in a real browser (Debian's headless Chromium): the portfolio of the simulator, with a
/// row whose customer and product are HTML, rendered with script (a browser), without it (a mail client) and printed.
/// The pages, screenshots and the PDF are kept in out/test-artifacts/report/.
/// </summary>
public sealed class LicenseReportBrowserTests(ITestOutputHelper output)
{
    private const string HostileCustomer = "<script>alert(1)</script>";
    private const string HostileProduct = "<img src=x onerror=alert(2)>";

    // The whole portfolio, plus one row of hostile text whose waste (99,999 inactive licenses) tops every ranking.
    private const string Report = """
        $hostile = [PartnerCenterUsage.Models.CustomerLicenseUsage]@{
            CustomerName = $args[1]; ProductName = $args[2]; WorkloadName = $args[2]; LicensesQualified = 100000; LicensesActive = 1 }
        & { Get-PCLicenseUsage; Get-PCLicenseDeployment; Get-PCCustomer | Get-PCCustomerSubscribedSku; $hostile } |
            Export-PCLicenseReport -Path $args[0] -Title 'Browser <b>portfolio</b>'
        """;

    // What the rendered page shows, read from its DOM.
    private const string ReadPage = """
        (() => {
          const figures = {};
          for (const li of document.querySelectorAll('#figures li')) {
            const value = li.querySelector('.value').textContent;
            figures[li.textContent.slice(value.length)] = value;
          }
          const charts = {};
          for (const section of document.querySelectorAll('section.chart')) {
            const svg = section.querySelector('svg');
            const texts = svg ? Array.from(svg.querySelectorAll('text'), t => t.textContent) : [];
            const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
            charts[section.id] = { labels: texts.filter((_, i) => i % 2 === 0), values: texts.filter((_, i) => i % 2 === 1),
              bars: svg ? svg.querySelectorAll('rect').length : 0, width: box.width, height: box.height };
          }
          const tables = {};
          for (const table of document.querySelectorAll('table')) {
            tables[table.closest('section').id] = table.tBodies[0].rows.length;
          }
          return {
            title: document.title,
            heading: document.querySelector('h1').textContent,
            figures, charts, tables,
            scripts: document.querySelectorAll('script:not([type])').length,
            dataBlocks: Array.from(document.querySelectorAll('script[type="application/json"]'), s => s.id),
            dataShown: Array.from(document.querySelectorAll('script[type="application/json"]'), s => s.getBoundingClientRect().height + getComputedStyle(s).display),
            images: document.images.length,
            hostileCells: Array.from(document.querySelectorAll('td'), td => td.textContent)
              .filter(t => t === '<script>alert(1)</script>' || t === '<img src=x onerror=alert(2)>').length,
            sortButtons: document.querySelectorAll('th button').length,
          };
        })()
        """;

    // The portfolio's usage and deployment, and license reduction rows made here (the simulator has no subscriptions).
    private const string RenewalReport = """
        $reductions = $args[1]
        & { Get-PCLicenseUsage; Get-PCLicenseDeployment; $reductions } | Export-PCLicenseReport -Path $args[0]
        """;

    // The section "Act before renewal" as the browser lays it out.
    private const string ReadRenewal = """
        (() => {
          const section = document.querySelector('#act-before-renewal');
          const box = section.getBoundingClientRect();
          const figures = {};
          for (const li of section.querySelectorAll('.figures li')) {
            const value = li.querySelector('.value').textContent;
            figures[li.textContent.slice(value.length)] = value;
          }
          const groups = {};
          for (const group of section.querySelectorAll('section.renewal')) {
            const table = group.querySelector('table');
            groups[group.id] = {
              heading: group.querySelector('h3').textContent,
              caption: table ? table.caption.textContent : null,
              height: table ? table.getBoundingClientRect().height : 0,
              headers: table ? Array.from(table.tHead.rows[0].cells, th => th.getAttribute('scope') + ':' + th.textContent) : [],
              rows: table ? Array.from(table.tBodies[0].rows, r => [r.cells[0].textContent, r.cells[1].textContent, r.cells[3].textContent, r.className]) : [],
            };
          }
          const follows = (a, b) => !!(document.querySelector(a).compareDocumentPosition(document.querySelector(b)) & Node.DOCUMENT_POSITION_FOLLOWING);
          return {
            width: box.width, height: box.height,
            afterFigures: follows('#figures', '#act-before-renewal'),
            beforeCharts: follows('#act-before-renewal', 'section.chart'),
            figures, groups,
            sortButtons: section.querySelectorAll('button').length,
          };
        })()
        """;

    private static string Artifacts { get; } = Directory.CreateDirectory(Repo.Path("out", "test-artifacts", "report")).FullName;

    [Fact]
    public async Task The_report_renders_its_figures_charts_and_tables_with_no_error_no_request_and_hostile_text_as_text()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 40 });
        var path = Export(scenario, "portfolio.html");
        var data = scenario.Simulator.Data;
        await using var browser = await HeadlessBrowser.StartAsync();

        await browser.OpenAsync(path);

        var page = (await browser.EvaluateAsync(ReadPage))!.AsObject();
        Keep(await browser.ScreenshotAsync(), "portfolio.png");
        AssertNothingWentWrong(browser, path);
        Assert.Equal("Browser <b>portfolio</b>", (string)page["title"]!);
        Assert.Equal("Browser <b>portfolio</b>", (string)page["heading"]!);

        // Headline figures: the simulator's, with the hostile row's 100,000 qualified and 1 active licenses.
        var customers = data.Customers.Count(c => c.Usage.Count + c.Deployment.Count + c.SubscribedSkus.Count > 0) + 1;
        var figures = page["figures"]!.AsObject();
        Assert.Equal(N(customers), (string)figures["Customers"]!);
        Assert.Equal(N(data.UsageRows.Sum(r => r.Row.LicensesQualified) + 100_000), (string)figures["Licenses qualified"]!);
        Assert.Equal(N(data.UsageRows.Sum(r => r.Row.LicensesActive) + 1), (string)figures["Licenses active"]!);
        Assert.Equal(N(data.UsageRows.Sum(r => r.Row.LicensesQualified - r.Row.LicensesActive) + 99_999), (string)figures["Licenses inactive"]!);
        Assert.Equal(N(data.DeploymentRows.Sum(r => r.Row.LicensesSold)), (string)figures["Licenses sold"]!);
        Assert.Equal(N(data.DeploymentRows.Sum(r => r.Row.LicensesSold - r.Row.LicensesDeployed)), (string)figures["Licenses unassigned"]!);
        Assert.Equal(N(SkusListed(data).Sum(s => s.AvailableUnits)), (string)figures["Units available"]!);

        // Three charts, drawn and visible, every bar named and valued in text; the hostile row tops the first.
        var charts = page["charts"]!.AsObject();
        Assert.Equal(["chart-inactive", "chart-workloads", "chart-unassigned"], charts.Select(c => c.Key));
        foreach (var (_, chart) in charts)
        {
            Assert.True((double)chart!["width"]! > 400 && (double)chart["height"]! > 40, chart.ToJsonString());
            Assert.Equal(chart["labels"]!.AsArray().Count, chart["values"]!.AsArray().Count);
            Assert.All(chart["values"]!.AsArray(), v => Assert.Matches("^[0-9,]+( of [0-9,]+ active)?$", (string)v!));
        }

        var inactive = charts["chart-inactive"]!;
        Assert.Equal(10, inactive["labels"]!.AsArray().Count);
        Assert.Equal(HostileCustomer, (string)inactive["labels"]![0]!);
        Assert.Equal("99,999", (string)inactive["values"]![0]!);
        var workloads = charts["chart-workloads"]!;
        Assert.Equal(2 * workloads["labels"]!.AsArray().Count, (int)workloads["bars"]!);
        Assert.Contains(HostileProduct, workloads["labels"]!.AsArray().Select(l => (string)l!));

        // Every customer tabled; the row tables complete up to their 500 rows.
        var tables = page["tables"]!.AsObject();
        Assert.Equal(customers, (int)tables["table-customers"]!);
        Assert.Equal(Math.Min(500, data.UsageRows.Count + 1), (int)tables["table-usage"]!);
        Assert.Equal(Math.Min(500, data.DeploymentRows.Count), (int)tables["table-deployment"]!);
        Assert.Equal(Math.Min(500, SkusListed(data).Count()), (int)tables["table-skus"]!);

        // The hostile text is text: in its four cells (the customers' table's name; the usage row's customer, product
        // and workload), with no dialog, image or script of its own.
        Assert.Equal(4, (int)page["hostileCells"]!);
        Assert.Equal(1, (int)page["scripts"]!);

        // The figures ride along as one data block, which takes no room on the page.
        Assert.Equal(["license-report-data"], page["dataBlocks"]!.AsArray().Select(b => (string)b!));
        Assert.Equal(["0none"], page["dataShown"]!.AsArray().Select(b => (string)b!));
        Assert.Equal(0, (int)page["images"]!);
        Assert.Empty(browser.Dialogs);
    }

    [Fact]
    public async Task A_column_header_sorts_its_table_by_value_with_unknown_values_last_and_a_second_click_reverses()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 30 });
        var path = Export(scenario, "sorting.html");
        await using var browser = await HeadlessBrowser.StartAsync();
        await browser.OpenAsync(path);
        const string Column = """
            ((table, header) => {
              const t = document.querySelector('#' + table + ' table');
              const index = Array.from(t.tHead.rows[0].cells).findIndex(th => th.textContent.startsWith(header));
              return Array.from(t.tBodies[0].rows, r => r.cells[index].getAttribute('data-v') ?? r.cells[index].textContent);
            })
            """;

        // Customers without deployment rows have no unassigned figure: "" in data-v, and they stay last both ways.
        var clicks = new List<string[]>();
        for (var i = 0; i < 2; i++)
        {
            await browser.EvaluateAsync("""
                Array.from(document.querySelectorAll('#table-customers th'))
                  .find(th => th.textContent.startsWith('Unassigned')).querySelector('button').click()
                """);
            clicks.Add(await browser.EvaluateAsync<string[]>(Column + "('table-customers', 'Unassigned')"));
        }

        var (descending, ascending) = (clicks[0], clicks[1]);
        var known = descending.TakeWhile(v => v.Length > 0).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToList();
        Assert.True(known.Count > 1 && known.Count < descending.Length, "the portfolio has known and unknown unassigned figures");
        Assert.Equal(known.OrderDescending(), known);
        Assert.All(descending.Skip(known.Count), v => Assert.Equal(string.Empty, v));
        Assert.Equal(known.Order(), ascending.Take(known.Count).Select(v => long.Parse(v, CultureInfo.InvariantCulture)));
        Assert.All(ascending.Skip(known.Count), v => Assert.Equal(string.Empty, v));
        Assert.Equal("ascending", await browser.EvaluateAsync<string>(
            "Array.from(document.querySelectorAll('#table-customers th')).find(th => th.textContent.startsWith('Unassigned')).getAttribute('aria-sort')"));

        // Text sorts by text, whatever its case.
        await browser.EvaluateAsync("document.querySelector('#table-usage th button').click()");
        var names = await browser.EvaluateAsync<string[]>(Column + "('table-usage', 'Customer')");
        Assert.True(names.Distinct().Count() > 2);
        Assert.Equal(names.OrderDescending(StringComparer.OrdinalIgnoreCase), names.Select(n => n));
        AssertNothingWentWrong(browser, path);
    }

    [Fact]
    public async Task Without_script_as_in_a_mail_client_and_printed_the_tables_are_complete_and_the_largest_waste_first()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 30 });
        var path = Export(scenario, "no-script.html");
        await using var browser = await HeadlessBrowser.StartAsync();
        await browser.DisableScriptAsync(true);

        await browser.OpenAsync(path);

        Keep(await browser.ScreenshotAsync(), "no-script.png");
        var page = (await browser.EvaluateAsync(ReadPage))!.AsObject();
        Assert.Equal(0, (int)page["sortButtons"]!);
        var customers = scenario.Simulator.Data.Customers.Count(c => c.Usage.Count + c.Deployment.Count + c.SubscribedSkus.Count > 0) + 1;
        Assert.Equal(customers, (int)page["tables"]!["table-customers"]!);
        var inactive = await browser.EvaluateAsync<string[]>(
            "Array.from(document.querySelectorAll('#table-customers tbody tr'), r => r.cells[3].getAttribute('data-v'))");
        Assert.Equal("99999", inactive[0]);
        var known = inactive.TakeWhile(v => v.Length > 0).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(known.OrderDescending(), known);

        var pdf = await browser.PrintToPdfAsync();
        Keep(pdf, "report.pdf");
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        AssertNothingWentWrong(browser, path);
    }

    [Fact]
    public async Task The_act_before_renewal_section_shows_its_figures_and_each_period_s_actions_soonest_first()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 20 });
        var asOf = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var midnight = new DateTimeOffset(asOf.UtcDateTime.Date, TimeSpan.Zero);
        CustomerLicenseReduction Row(string customer, string product, long? cutNow, DateTimeOffset? until, long? cut, DateTimeOffset? renewal, LicenseMatch match = LicenseMatch.Matched) => new()
        {
            CustomerName = customer,
            ProductName = product,
            PaidSeats = 20,
            AssignedSeats = 15,
            ActiveSeats = 10,
            CuttableNow = cutNow,
            ReturnableUntil = until,
            CuttableAtRenewal = cut,
            NextRenewal = renewal,
            Match = match,
            MatchNote = match == LicenseMatch.Matched ? null : "It could be E3 or E5.",
            AutoRenewEnabled = true,
            Subscriptions = new CustomerSubscriptionList([new CustomerSubscription { FriendlyName = product + " annual", AutoRenewEnabled = true }]),
            AsOf = asOf,
        };
        CustomerLicenseReduction[] rows =
        [
            Row("Northwind", "Visio", 0, null, 2, midnight.AddDays(75)),
            Row("Contoso", "E5", 0, null, 5, midnight.AddDays(10)),
            Row("Tailspin", "E3 or E5", null, null, null, midnight.AddDays(20), LicenseMatch.Ambiguous),
            Row("Fabrikam", "E3", 3, asOf.AddDays(2), 6, midnight.AddDays(40)),
            Row("Woodgrove", "E3", 0, null, 9, midnight.AddDays(200)),
        ];
        var path = Path.Combine(Artifacts, "renewal.html");
        Assert.Empty(scenario.Run(RenewalReport, path, rows).Errors);
        await using var browser = await HeadlessBrowser.StartAsync();

        await browser.OpenAsync(path);

        Keep(await browser.ScreenshotAsync(), "renewal.png");
        AssertNothingWentWrong(browser, path);
        var section = (await browser.EvaluateAsync(ReadRenewal))!.AsObject();
        Assert.True((double)section["width"]! > 400 && (double)section["height"]! > 200, section.ToJsonString());
        Assert.True((bool)section["afterFigures"]! && (bool)section["beforeCharts"]!, "between the headline figures and the charts");
        Assert.Equal(0, (int)section["sortButtons"]!);

        // Seats to cut within 30 days: Fabrikam's 3 to return and Contoso's 5; Tailspin's match is flagged, not counted.
        var figures = section["figures"]!.AsObject();
        Assert.Equal("8", (string)figures["Seats to cut within 30 days"]!);
        Assert.Equal("3", (string)figures["Seats returnable now"]!);

        var groups = section["groups"]!.AsObject();
        Assert.Equal(["act-within-30", "act-within-60", "act-within-90"], groups.Select(g => g.Key));
        Assert.All(groups, g => Assert.True((double)g.Value!["height"]! > 40, g.Key));
        string[][] Rows(string id) => groups[id]!["rows"]!.AsArray().Select(r => r!.AsArray().Select(c => (string)c!).ToArray()).ToArray();
        Assert.Equal(
            [
                ["2026-12-03 until 10:00", "Fabrikam", "Return 3 seats for a refund by 2026-12-03 10:00 UTC", string.Empty],
                ["2026-12-10", "Contoso", "Cut 5 seats at the renewal on 2026-12-11 (schedule it by 2026-12-10)", string.Empty],
                ["2026-12-20", "Tailspin", "Check: renews on 2026-12-21, how many seats to cut is unknown", "flagged"],
            ],
            Rows("act-within-30"));
        Assert.Equal([["2027-01-09", "Fabrikam", "Cut 6 seats at the renewal on 2027-01-10 (schedule it by 2027-01-09)", string.Empty]], Rows("act-within-60"));
        Assert.Equal([["2027-02-13", "Northwind", "Cut 2 seats at the renewal on 2027-02-14 (schedule it by 2027-02-13)", string.Empty]], Rows("act-within-90"));
        Assert.Equal("Up to 2026-12-31 10:00 UTC: 8 seats to return or cut in 3 actions (1 flagged, not counted)", (string)groups["act-within-30"]!["caption"]!);
        Assert.All(groups["act-within-30"]!["headers"]!.AsArray(), h => Assert.StartsWith("col:", (string)h!, StringComparison.Ordinal));
        Assert.DoesNotContain("Woodgrove", section.ToJsonString(), StringComparison.Ordinal);

        var pdf = await browser.PrintToPdfAsync();
        Keep(pdf, "renewal.pdf");
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_user_s_pipeline_with_Get_PCLicenseReduction_renders_the_section_from_the_simulator_s_subscriptions()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 30 });
        var path = Path.Combine(Artifacts, "renewal-portfolio.html");
        const string Pipeline = """
            $rows = @(Get-PCLicenseReduction)
            & { Get-PCLicenseUsage; Get-PCLicenseDeployment; $rows } | Export-PCLicenseReport -Path $args[0] | Out-Null
            $rows
            """;
        var result = scenario.Run(Pipeline, path);
        Assert.Empty(result.Errors);
        var rows = result.Output.Select(o => (CustomerLicenseReduction)o.BaseObject).ToList();
        await using var browser = await HeadlessBrowser.StartAsync();

        await browser.OpenAsync(path);

        Keep(await browser.ScreenshotAsync(), "renewal-portfolio.png");
        AssertNothingWentWrong(browser, path);
        var section = (await browser.EvaluateAsync(ReadRenewal))!.AsObject();
        Assert.True((double)section["height"]! > 100, section.ToJsonString());

        // The figures are those of the rows' own fields, as of their latest AsOf; flagged matches count for nothing.
        var now = rows.Max(r => r.AsOf);
        var counted = rows.Where(r => r.Match is not (LicenseMatch.Ambiguous or LicenseMatch.Missing or LicenseMatch.NotInAnalytics)).ToList();
        var returnable = counted.Where(r => r.CuttableNow > 0 && (r.ReturnableUntil is null || r.ReturnableUntil > now)).ToList();
        var within30 = returnable.Where(r => r.ReturnableUntil is null || r.ReturnableUntil <= now.AddDays(30)).Sum(r => r.CuttableNow!.Value)
            + counted.Where(r => r.CuttableAtRenewal > 0 && r.NextRenewal > now && r.NextRenewal <= now.AddDays(30)).Sum(r => r.CuttableAtRenewal!.Value);
        var figures = section["figures"]!.AsObject();
        Assert.Equal(N(within30), (string)figures["Seats to cut within 30 days"]!);
        Assert.Equal(N(returnable.Sum(r => r.CuttableNow!.Value)), (string)figures["Seats returnable now"]!);

        // Each period soonest first, and the simulator's portfolio has something to do in it.
        var groups = section["groups"]!.AsObject();
        var listed = groups.SelectMany(g => g.Value!["rows"]!.AsArray()).Select(r => (string)r![0]!).ToList();
        Assert.NotEmpty(listed);
        foreach (var (_, group) in groups)
        {
            // Seats returnable now whose window end is not said ("now ...") come before every date.
            var days = group!["rows"]!.AsArray().Select(r => (string)r![0]!).Select(d => char.IsDigit(d[0]) ? d[..10] : string.Empty).ToList();
            Assert.Equal(days.Order(StringComparer.Ordinal), days);
        }

        output.WriteLine($"{rows.Count} reduction rows, {listed.Count} actions listed, {within30} seats within 30 days");
    }

    // Get-PCCustomerSubscribedSku lists license group 1 (Entra) unless asked for another.
    private static IEnumerable<SimulatedSubscribedSku> SkusListed(SimulatorData data) =>
        data.Customers.SelectMany(c => c.SubscribedSkus).Where(s => s.LicenseGroupId == "Group1");

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Export(ModuleScenario scenario, string name)
    {
        var path = Path.Combine(Artifacts, name);
        var result = scenario.Run(Report, path, HostileCustomer, HostileProduct);
        Assert.Empty(result.Errors);
        return path;
    }

    private void AssertNothingWentWrong(HeadlessBrowser browser, string path)
    {
        Assert.Empty(browser.Errors);
        Assert.Equal([new Uri(path).AbsoluteUri], browser.Requests);
        output.WriteLine("Artifacts: " + Artifacts);
    }

    private void Keep(byte[] file, string name)
    {
        var path = Path.Combine(Artifacts, name);
        File.WriteAllBytes(path, file);
        output.WriteLine("Kept " + path);
    }
}
