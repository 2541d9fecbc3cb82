using System.Globalization;
using System.Text;
using PartnerCenterUsage.Engine.Reports;
using PartnerCenterUsage.Engine.Reports.Html;
using PartnerCenterUsage.Models;
using PartnerCenterUsage.Tests.Support;
using Xunit.Abstractions;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// The page's section "Since the baseline" in a real browser (Debian's headless Chromium): a report built from rows,
/// given a comparison by hand (<see cref="ComparisonSample"/>, so that it needs no comparison engine), laid out,
/// sorted, and printed in grey-scale. The page, its screenshots and the PDF are kept in out/test-artifacts/report/.
/// </summary>
public sealed class ComparisonBrowserTests(ITestOutputHelper output)
{
    private const string HostileBaseline = "<img src=x onerror=alert(1)>october.html";

    // The section as the browser lays it out: its box and place, the change chart's bars against its middle line,
    // and every trend point's value text with the box of its trend.
    private const string ReadSection = """
        (() => {
          const section = document.querySelector('#since-baseline');
          const box = section.getBoundingClientRect();
          const follows = (a, b) => !!(document.querySelector(a).compareDocumentPosition(document.querySelector(b)) & Node.DOCUMENT_POSITION_FOLLOWING);
          const chart = section.querySelector('#chart-inactive-change svg');
          const axis = chart.querySelector('line.axis').getBoundingClientRect();
          const bars = Array.from(chart.querySelectorAll('g'), g => {
            const rect = g.querySelector('rect');
            const texts = g.querySelectorAll('text');
            const value = texts[texts.length - 1].getBoundingClientRect();
            const r = rect ? rect.getBoundingClientRect() : null;
            return { kind: g.getAttribute('class'), label: texts[0].textContent, value: texts[texts.length - 1].textContent,
              left: r ? r.left : null, right: r ? r.right : null, width: r ? r.width : 0,
              fill: rect ? getComputedStyle(rect).fill : null, stroke: rect ? getComputedStyle(rect).stroke : null,
              valueLeft: value.left, valueRight: value.right, valueWidth: value.width };
          });
          const trends = Array.from(section.querySelectorAll('figure.trend'), figure => {
            const svg = figure.querySelector('svg').getBoundingClientRect();
            const values = Array.from(figure.querySelectorAll('text.point-value'), t => {
              const b = t.getBoundingClientRect();
              return { text: t.textContent, visible: b.width > 0 && b.height > 0 && b.left >= svg.left && b.right <= svg.right && b.top >= svg.top && b.bottom <= svg.bottom
                && getComputedStyle(t).visibility === 'visible' && getComputedStyle(t).display !== 'none', left: b.left, right: b.right };
            });
            return { id: figure.id, caption: figure.querySelector('figcaption').textContent, width: svg.width, height: svg.height,
              top: svg.top, values, lines: figure.querySelectorAll('polyline').length };
          });
          return {
            width: box.width, height: box.height,
            heading: section.querySelector('h2').textContent,
            note: section.querySelector('p.note').textContent,
            afterFigures: follows('#figures', '#since-baseline'),
            beforeCharts: follows('#since-baseline', 'section.chart'),
            headline: Array.from(section.querySelectorAll('#table-headline-changes tbody tr'), r => Array.from(r.cells, c => c.textContent)),
            headlineButtons: section.querySelectorAll('#table-headline-changes button').length,
            axis: axis.left + axis.width / 2, bars, trends,
            images: document.images.length,
          };
        })()
        """;

    private static string Artifacts { get; } = Directory.CreateDirectory(Repo.Path("out", "test-artifacts", "report")).FullName;

    [Fact]
    public async Task The_section_since_the_baseline_lays_out_its_changes_chart_and_trends_with_no_error_no_request_and_reads_in_grey_scale_print()
    {
        var path = Write("comparison.html");
        await using var browser = await HeadlessBrowser.StartAsync();

        await browser.OpenAsync(path);

        Keep(await browser.ScreenshotAsync(), "comparison.png");
        AssertNothingWentWrong(browser, path);
        var section = (await browser.EvaluateAsync(ReadSection))!.AsObject();
        Assert.True((double)section["width"]! > 400 && (double)section["height"]! > 400, section.ToJsonString());
        Assert.True((bool)section["afterFigures"]! && (bool)section["beforeCharts"]!, "between the headline figures and the charts");
        Assert.Equal("Since 2026-10-01", (string)section["heading"]!);
        Assert.StartsWith("This report's figures of 2026-11-01 compared with those of 2026-10-01 in " + HostileBaseline + ".", (string)section["note"]!, StringComparison.Ordinal);
        Assert.Equal(0, (int)section["images"]!);
        Assert.Empty(browser.Dialogs);

        // The headline table as written (its order is the point: not sortable); a ▲/▼ of the style is no text.
        Assert.Equal(0, (int)section["headlineButtons"]!);
        Assert.Equal(
            ["Licenses inactive", "1,200", "1,320", "+120", "+100", "+50", "\u221230"],
            section["headline"]![1]!.AsArray().Select(c => (string)c!));

        // Increases right of the middle line in the dark style, decreases left of it outlined, each value beside its bar.
        var axis = (double)section["axis"]!;
        var bars = section["bars"]!.AsArray().Select(b => b!.AsObject()).ToList();
        Assert.Equal(["+120", "\u221245", "+30", "\u22125", "unknown"], bars.Select(b => (string)b["value"]!));
        foreach (var bar in bars.Where(b => (string)b["kind"]! == "up"))
        {
            Assert.True((double)bar["left"]! >= axis - 1 && (double)bar["width"]! > 0, bar.ToJsonString());
            Assert.True((double)bar["valueLeft"]! >= (double)bar["right"]!, bar.ToJsonString());
        }

        foreach (var bar in bars.Where(b => (string)b["kind"]! == "down"))
        {
            Assert.True((double)bar["right"]! <= axis + 1 && (double)bar["width"]! > 0, bar.ToJsonString());
            Assert.True((double)bar["valueRight"]! <= (double)bar["left"]!, bar.ToJsonString());
        }

        Assert.Equal(2, bars.Count(b => (string)b["kind"]! == "up"));
        Assert.Equal(2, bars.Count(b => (string)b["kind"]! == "down"));
        var up = bars.First(b => (string)b["kind"]! == "up");
        var down = bars.First(b => (string)b["kind"]! == "down");
        Assert.NotEqual((string)up["fill"]!, (string)down["fill"]!);
        Assert.Equal("none", (string)up["stroke"]!);
        Assert.NotEqual("none", (string)down["stroke"]!);
        Assert.True((double)bars[4]["valueWidth"]! > 0 && bars[4]["left"] is null, "an unknown change has no bar, and says so");

        // Every trend drawn, small, with every point's value visible and apart from the next; the unknown one a gap.
        var trends = section["trends"]!.AsArray().Select(t => t!.AsObject()).ToList();
        Assert.Equal(["trend-licenses-inactive", "trend-inactive-share", "trend-customers"], trends.Select(t => (string)t["id"]!));
        foreach (var trend in trends)
        {
            Assert.True((double)trend["width"]! is > 300 and < 500 && (double)trend["height"]! is > 90 and < 160, trend.ToJsonString());
            var values = trend["values"]!.AsArray().Select(v => v!.AsObject()).ToList();
            Assert.All(values, v => Assert.True((bool)v["visible"]!, trend.ToJsonString()));
            Assert.All(values.Zip(values.Skip(1)), p => Assert.True((double)p.First["right"]! < (double)p.Second["left"]!, trend.ToJsonString()));
        }

        Assert.Equal(["19.0 %", "19.5 %", "unknown", "20.0 %", "21.5 %"], trends[1]["values"]!.AsArray().Select(v => (string)v!["text"]!));
        Assert.Equal(2, (int)trends[1]["lines"]!);

        // Compact on the screen: the first two trends side by side.
        Assert.Equal((double)trends[0]["top"]!, (double)trends[1]["top"]!);

        // The tables of changes sort by the signed number: the workloads' change, largest first, then reversed.
        const string Changes = "Array.from(document.querySelectorAll('#table-workloads-compared tbody tr'), r => r.cells[3].getAttribute('data-v'))";
        await browser.EvaluateAsync("document.querySelectorAll('#table-workloads-compared th button')[3].click()");
        Assert.Equal(["50", "-20"], await browser.EvaluateAsync<string[]>(Changes));
        await browser.EvaluateAsync("document.querySelectorAll('#table-workloads-compared th button')[3].click()");
        Assert.Equal(["-20", "50"], await browser.EvaluateAsync<string[]>(Changes));

        // Printed, and as a grey-scale printer sees it.
        var pdf = await browser.PrintToPdfAsync();
        Keep(pdf, "comparison.pdf");
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        AssertNothingWentWrong(browser, path);

        // (The grey-scale emulation is an SVG filter of the browser's own, which it loads as a data: URL; the page's
        // requests were checked above.)
        await browser.EmulatePrintAsync(print: true, greyScale: true);
        Keep(await browser.ScreenshotAsync(width: 794), "comparison-print-grey.png");
        var printed = (await browser.EvaluateAsync(ReadSection))!.AsObject();
        Assert.All(printed["trends"]!.AsArray(), t => Assert.All(t!["values"]!.AsArray(), v => Assert.True((bool)v!["visible"]!, t.ToJsonString())));
        await browser.EmulatePrintAsync(print: false, greyScale: false);
        Assert.Empty(browser.Errors);
    }

    // Rows read by the builder, then the comparison given by hand: the page as Export-PCLicenseReport would write it.
    [Fact]
    public async Task The_portfolio_compared_with_last_month_s_report_shows_in_the_browser_the_changes_the_two_months_rows_make()
    {
        await using var scenario = await ModuleScenario.StartAsync(new PartnerCenterUsage.Simulator.SimulatorOptions { CustomerCount = 60, HistoryMonths = 1 });
        var october = Path.Combine(Artifacts, "portfolio-october.html");
        var november = Path.Combine(Artifacts, "portfolio-compared.html");
        var result = scenario.Run(
            """
            & { Get-PCLicenseUsage -ProcessedDateTime 2026-10-01; Get-PCLicenseDeployment -ProcessedDateTime 2026-10-01 } | Export-PCLicenseReport -Path $args[0] -Title October
            & { Get-PCLicenseUsage; Get-PCLicenseDeployment } | Export-PCLicenseReport -Path $args[1] -Title November -Baseline $args[0]
            """,
            october,
            november);
        Assert.Empty(result.Errors);
        await using var browser = await HeadlessBrowser.StartAsync();

        await browser.OpenAsync(november);

        Keep(await browser.ScreenshotAsync(), "portfolio-compared.png");
        AssertNothingWentWrong(browser, november);
        var section = (await browser.EvaluateAsync(ReadSection))!.AsObject();
        Assert.Equal("Since 2026-10-01", (string)section["heading"]!);
        Assert.StartsWith("This report's figures of 2026-11-01 compared with those of 2026-10-01 in portfolio-october.html.", (string)section["note"]!, StringComparison.Ordinal);

        // The inactive licenses then, now, and the change, as the simulator's two months of rows make them.
        var data = scenario.Simulator.Data;
        static long Inactive(IEnumerable<long> wastes) => wastes.Sum();
        var then = Inactive(data.History[0].UsageRows.Select(r => Math.Max(0, r.Row.LicensesQualified - r.Row.LicensesActive)));
        var now = Inactive(data.UsageRows.Select(r => Math.Max(0, r.Row.LicensesQualified - r.Row.LicensesActive)));
        var inactive = section["headline"]!.AsArray().Select(r => r!.AsArray().Select(c => (string)c!).ToList()).Single(r => r[0] == "Licenses inactive");
        Assert.Equal([N(then), N(now), Signed(now - then)], inactive.Skip(1).Take(3));
        Assert.True(section["bars"]!.AsArray().Count > 0, "the change chart has bars");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Signed(long value) => value switch
    {
        > 0 => "+" + N(value),
        < 0 => "\u2212" + N(-value),
        _ => "0",
    };

    private static string Write(string name)
    {
        var builder = new LicenseReportBuilder();
        var processed = ComparisonSample.CurrentAsOf;
        var customers = new[] { ("Contoso", 400L, 180L), ("Fabrikam", 300L, 255L), ("Northwind", 120L, 80L), ("Adatum", 100L, 50L) };
        for (var i = 0; i < customers.Length; i++)
        {
            var (customer, qualified, active) = customers[i];
            var id = new Guid(i + 1, 0, 0, new byte[8]);
            builder.Add(new CustomerLicenseUsage
            {
                CustomerId = id, CustomerName = customer, ProductName = "OFFICE 365 E3", WorkloadName = "Exchange",
                LicensesQualified = qualified, LicensesActive = active, ProcessedDateTime = processed,
            });
            builder.Add(new CustomerLicenseDeployment
            {
                CustomerId = id, CustomerName = customer, ProductName = "OFFICE 365 E3",
                LicensesSold = qualified, LicensesDeployed = active, ProcessedDateTime = processed,
            });
        }

        var report = builder.Build(new LicenseReportOptions { Title = "Since October", GeneratedAt = new DateTimeOffset(2026, 11, 2, 7, 0, 0, TimeSpan.Zero) })
            .WithComparison(ComparisonSample.Section(baselineLabel: HostileBaseline));
        var path = Path.Combine(Artifacts, name);
        using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            LicenseReportHtml.Write(writer, report);
        }

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
        output.WriteLine("Kept " + path + " (" + file.Length.ToString(CultureInfo.InvariantCulture) + " bytes)");
    }
}
