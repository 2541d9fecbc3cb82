using System.Globalization;
using System.Text;
using PartnerCenterUsage.Models;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Import-PCLicenseReport: a report page read back as the figures it counted, equal to those computed here from the
/// simulator's rows; a file that is not a report, of a newer format, cut short or edited is a clear error about that
/// file alone.
/// </summary>
public sealed class ImportPCLicenseReportTests : IDisposable
{
    private const string WholePortfolio =
        "& { Get-PCLicenseUsage; Get-PCLicenseDeployment; Get-PCCustomer | Get-PCCustomerSubscribedSku } | Export-PCLicenseReport -Path $args[0] -Title 'November'";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pcu-import-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string File(string name) => Path.Combine(_directory.FullName, name);

    [Fact]
    public async Task The_figures_read_back_equal_the_portfolio_s_rows_summed_per_customer_product_and_workload()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 60 });
        var path = File("november.html");
        Assert.Empty(scenario.Run(WholePortfolio, path).Errors);

        var result = scenario.Run("Import-PCLicenseReport -Path $args[0]", path);

        Assert.Empty(result.Errors);
        var figures = result.Output.Select(o => Assert.IsType<LicenseReportFigure>(o.BaseObject)).ToList();
        var data = scenario.Simulator.Data;
        var usage = data.UsageRows
            .GroupBy(r => (r.Customer.Id, r.Customer.CompanyName, r.Row.ProductId, r.Row.ProductName, r.Row.WorkloadCode, r.Row.WorkloadName, r.Row.ProcessedDateTime.UtcDateTime.Date))
            .Select(g => Line("Usage", g.Key.Id, g.Key.CompanyName, g.Key.ProductId, g.Key.ProductName, g.Key.WorkloadCode, g.Key.WorkloadName, g.Key.Date,
                g.Sum(r => r.Row.LicensesQualified), g.Sum(r => r.Row.LicensesActive), g.Sum(r => Math.Max(0, r.Row.LicensesQualified - r.Row.LicensesActive))));
        var deployment = data.DeploymentRows
            .GroupBy(r => (r.Customer.Id, r.Customer.CompanyName, r.Row.ProductId, r.Row.ProductName, r.Row.ProcessedDateTime.UtcDateTime.Date))
            .Select(g => Line("Deployment", g.Key.Id, g.Key.CompanyName, g.Key.ProductId, g.Key.ProductName, null, null, g.Key.Date,
                g.Sum(r => r.Row.LicensesSold), g.Sum(r => r.Row.LicensesDeployed), g.Sum(r => Math.Max(0, r.Row.LicensesSold - r.Row.LicensesDeployed))));
        var skus = data.Customers
            .SelectMany(c => c.SubscribedSkus.Where(s => s.LicenseGroupId == "Group1").Select(s => (Customer: c, Sku: s)))
            .GroupBy(x => (x.Customer.Id, x.Sku.SkuId))
            .Select(g => string.Join('|', "SubscribedSku", g.Key.Id.ToString("D"), g.Key.SkuId.ToString("D"), g.Sum(x => x.Sku.AvailableUnits).ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(usage.Concat(deployment).Order(StringComparer.Ordinal), figures.Where(f => f.Kind != LicenseFigureKind.SubscribedSku).Select(Line).Order(StringComparer.Ordinal));
        Assert.Equal(
            skus.Order(StringComparer.Ordinal),
            figures.Where(f => f.Kind == LicenseFigureKind.SubscribedSku).Select(f => string.Join('|', "SubscribedSku", f.CustomerId?.ToString("D"), f.ProductId, f.AvailableUnits?.ToString(CultureInfo.InvariantCulture))).Order(StringComparer.Ordinal));

        // Each figure says which report it is of.
        Assert.All(figures, f =>
        {
            Assert.Equal("November", f.ReportTitle);
            Assert.Equal(path, f.ReportPath);
            Assert.NotNull(f.ReportGeneratedAt);
            Assert.False(string.IsNullOrEmpty(f.ModuleVersion));
        });
    }

    [Fact]
    public async Task Unknown_counts_and_hostile_names_come_back_as_they_went_in()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 1 });
        var path = File("hostile.html");
        const string Hostile = "</script><script>alert(1)</script> & \"quotes\" 'single' <!-- Zoë 株式会社 \u2028";
        var exported = scenario.Run(
            """
            [PartnerCenterUsage.Models.CustomerLicenseUsage]@{ CustomerName = $args[1]; ProductName = $args[1]; WorkloadName = $args[1]; LicensesQualified = 10 },
            [PartnerCenterUsage.Models.CustomerLicenseDeployment]@{ CustomerName = 'B'; ProductId = 'P'; LicensesSold = 3; LicensesDeployed = 5 } |
                Export-PCLicenseReport -Path $args[0]
            """,
            path,
            Hostile);
        Assert.Empty(exported.Errors);

        var figures = scenario.Run("Import-PCLicenseReport $args[0]", path).Output.Select(o => (LicenseReportFigure)o.BaseObject).ToList();

        var usage = Assert.Single(figures, f => f.Kind == LicenseFigureKind.Usage);
        Assert.Equal(Hostile, usage.CustomerName);
        Assert.Equal(Hostile, usage.ProductName);
        Assert.Equal(Hostile, usage.WorkloadName);
        Assert.Equal(10, usage.LicensesQualified);
        Assert.Null(usage.LicensesActive);
        Assert.Null(usage.LicensesInactive);
        Assert.Null(usage.CustomerId);
        Assert.Null(usage.ProcessedDateTime);
        var deployment = Assert.Single(figures, f => f.Kind == LicenseFigureKind.Deployment);
        Assert.Equal((3L, 5L, 0L), (deployment.LicensesSold!.Value, deployment.LicensesDeployed!.Value, deployment.LicensesUnassigned!.Value));
        Assert.DoesNotContain("</script><script>", System.IO.File.ReadAllText(path).Split("<script type=\"application/json\"")[1].Split("\n</script>")[0], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Several_files_by_wildcard_are_read_each_with_its_own_title_and_path()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 5 });
        foreach (var month in new[] { "2026-10", "2026-11" })
        {
            Assert.Empty(scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0] -Title $args[1]", File($"report-{month}.html"), month).Errors);
        }

        var result = scenario.Run("Import-PCLicenseReport -Path $args[0]", File("report-*.html"));

        Assert.Empty(result.Errors);
        var figures = result.Output.Select(o => (LicenseReportFigure)o.BaseObject).ToList();
        var perReport = UsageFigures(scenario.Simulator.Data);
        Assert.Equal(
            [("2026-10", File("report-2026-10.html"), perReport), ("2026-11", File("report-2026-11.html"), perReport)],
            figures.GroupBy(f => (f.ReportTitle, f.ReportPath)).Select(g => (g.Key.ReportTitle, g.Key.ReportPath, g.Count())).Order());
    }

    [Fact]
    public async Task A_report_cut_short_anywhere_after_its_head_is_ReportFileDamaged_and_gives_no_figure()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 8 });
        var path = File("whole.html");
        Assert.Empty(scenario.Run(WholePortfolio, path).Errors);
        var bytes = System.IO.File.ReadAllBytes(path);
        var dataStart = IndexOf(bytes, "<script type=\"application/json\"");

        // Cut in the visible page (before the data), at the start of the data, inside it at 40 points, and just
        // before the element's end tag.
        var cuts = new[] { IndexOf(bytes, "<body>"), dataStart / 2 }
            .Concat(Enumerable.Range(0, 41).Select(i => dataStart + (int)((long)(bytes.Length - 30 - dataStart) * i / 40)))
            .ToList();
        var files = new List<string>();
        foreach (var cut in cuts)
        {
            var file = File($"cut-{cut}.html");
            System.IO.File.WriteAllBytes(file, bytes[..cut]);
            files.Add(file);
        }

        var result = scenario.Run("Import-PCLicenseReport -LiteralPath $args[0]", [files.ToArray()]);

        Assert.Empty(result.Output);
        Assert.Equal(files.Count, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.StartsWith("ReportFileDamaged,", e.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("is cut short", e.ToString(), StringComparison.Ordinal);
            Assert.NotNull(e.ErrorDetails?.RecommendedAction);
        });
    }

    [Fact]
    public async Task A_file_that_is_no_report_a_newer_format_or_edited_data_is_an_error_about_that_file_and_the_next_file_is_still_read()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 4 });
        var good = File("good.html");
        Assert.Empty(scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0]", good).Errors);
        var page = System.IO.File.ReadAllText(good);
        var cases = new (string Name, string Text, string ErrorId, string Says)[]
        {
            ("empty.html", string.Empty, "ReportFileNotReport", "carries no license report data"),
            ("other.html", "<!DOCTYPE html><html><body><p>Hello</p></body></html>", "ReportFileNotReport", "carries no license report data"),
            ("foreign.html", page.Replace("\"format\":\"PartnerCenterUsage.LicenseReport\"", "\"format\":\"Someone.Else\"", StringComparison.Ordinal), "ReportFileNotReport", "not a license report's"),
            ("newer.html", page.Replace("\"version\":1,", "\"version\":2,", StringComparison.Ordinal), "ReportFormatNotSupported", "in format 2 of the report data"),
            ("unknown-product.html", ReplaceFirst(page, ",[[0,0,", ",[[99,0,"), "ReportFileDamaged", "names a product the data has not defined"),
            ("text-count.html", ReplaceFirst(page, ",[[0,0,", ",[[0,0,\"12\","), "ReportFileDamaged", "a count is not a whole number"),
            ("row-removed.html", RemoveLastFigure(page), "ReportFileDamaged", "rows are missing or were added"),
            ("not-json.html", ReplaceFirst(page, "\n[\"c\",", "\n[\"c\",,"), "ReportFileDamaged", "is not valid JSON"),
            ("binary.html", new string('\0', 70_000) + page[..200], "ReportFileNotReport", "carries no license report data"),
        };
        var files = new List<string>();
        foreach (var (name, text, _, _) in cases)
        {
            System.IO.File.WriteAllText(File(name), text, new UTF8Encoding(false));
            files.Add(File(name));
        }

        // A copy with CR LF line ends and a byte order mark (a Windows editor saved it) reads the same.
        var crlf = File("crlf.html");
        System.IO.File.WriteAllText(crlf, page.ReplaceLineEndings("\r\n"), new UTF8Encoding(true));
        files.Add(crlf);

        files.Add(good);
        var result = scenario.Run("Import-PCLicenseReport -LiteralPath $args[0]", [files.ToArray()]);

        // The good files, read last, give all their figures; the damaged ones none (not even those before the damage).
        Assert.Equal(2 * UsageFigures(scenario.Simulator.Data), result.Output.Count);
        Assert.Equal([crlf, good], result.Output.Select(o => ((LicenseReportFigure)o.BaseObject).ReportPath).Distinct());
        Assert.Equal(cases.Length, result.Errors.Count);
        foreach (var ((name, _, errorId, says), error) in cases.Zip(result.Errors))
        {
            Assert.True(error.FullyQualifiedErrorId.StartsWith(errorId + ",", StringComparison.Ordinal), name + ": " + error.FullyQualifiedErrorId);
            Assert.Contains(says, error.ToString(), StringComparison.Ordinal);
            Assert.Equal(File(name), error.TargetObject);
            Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_missing_file_or_a_folder_is_an_error_and_the_other_paths_are_still_read()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var good = File("good.html");
        Assert.Empty(scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0]", good).Errors);

        var result = scenario.Run("Import-PCLicenseReport -Path $args[0], $args[1], $args[2]", File("missing.html"), _directory.FullName, good);

        Assert.NotEmpty(result.Output);
        Assert.Collection(
            result.Errors,
            e => Assert.StartsWith("ReportFileNotFound,", e.FullyQualifiedErrorId, StringComparison.Ordinal),
            e => Assert.StartsWith("ReportReadFailed,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pipe_a_device_or_an_empty_file_is_no_report_and_is_never_read()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 2 });
        var pipe = File("pipe.html");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", pipe))
        {
            await mkfifo.WaitForExitAsync();
        }

        System.IO.File.WriteAllText(File("empty.html"), string.Empty);

        // A pipe with no writer would block its reader for ever, /dev/zero would never end: both are refused unread.
        var result = scenario.Run("Import-PCLicenseReport -LiteralPath $args[0]", [new[] { pipe, "/dev/zero", File("empty.html") }]);

        Assert.Empty(result.Output);
        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("ReportFileNotReport,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wildcard_that_names_no_file_is_ReportFileNotFound_and_Export_s_FileInfo_binds_as_a_literal_path()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });

        var none = scenario.Run("Import-PCLicenseReport -Path $args[0]", File("nothing-*.html"));
        var piped = scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -LiteralPath $args[0] | Import-PCLicenseReport", File("report[1].html"));

        Assert.StartsWith("ReportFileNotFound,", Assert.Single(none.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(piped.Errors);
        Assert.Equal(UsageFigures(scenario.Simulator.Data), piped.Output.Count);
    }

    [Fact]
    public async Task A_UTF_16_copy_or_a_header_that_says_a_thing_twice_is_damaged_and_says_how()
    {
        await using var scenario = await ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 3 });
        var good = File("good.html");
        Assert.Empty(scenario.Run("Get-PCLicenseUsage | Export-PCLicenseReport -Path $args[0]", good).Errors);
        var page = System.IO.File.ReadAllText(good);
        System.IO.File.WriteAllText(File("utf16.html"), page, Encoding.Unicode);
        System.IO.File.WriteAllText(File("twice.html"), page.Replace("\"version\":1,", "\"version\":2,\"version\":1,", StringComparison.Ordinal));
        System.IO.File.WriteAllText(File("later.html"), page.Replace("\"version\":1,", "\"version\":99999999999,", StringComparison.Ordinal));

        var result = scenario.Run("Import-PCLicenseReport -LiteralPath $args[0]", [new[] { File("utf16.html"), File("twice.html"), File("later.html") }]);

        Assert.Empty(result.Output);
        Assert.Collection(
            result.Errors,
            e => Assert.Contains("is UTF-16 text", e.ToString(), StringComparison.Ordinal),
            e => Assert.Contains("the header gives version twice", e.ToString(), StringComparison.Ordinal),
            e => Assert.StartsWith("ReportFormatNotSupported,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
    }

    // A usage figure per customer, product and workload.
    private static int UsageFigures(SimulatorData data) =>
        data.UsageRows.Select(r => (r.Customer.Id, r.Row.ProductId, r.Row.ProductName, r.Row.WorkloadCode, r.Row.WorkloadName)).Distinct().Count();

    private static string Line(LicenseReportFigure f) => f.Kind == LicenseFigureKind.Usage
        ? Line("Usage", f.CustomerId!.Value, f.CustomerName, f.ProductId, f.ProductName, f.WorkloadCode, f.WorkloadName, f.ProcessedDateTime?.UtcDateTime, f.LicensesQualified, f.LicensesActive, f.LicensesInactive)
        : Line("Deployment", f.CustomerId!.Value, f.CustomerName, f.ProductId, f.ProductName, f.WorkloadCode, f.WorkloadName, f.ProcessedDateTime?.UtcDateTime, f.LicensesSold, f.LicensesDeployed, f.LicensesUnassigned);

    private static string Line(string kind, Guid customer, string? name, string? productId, string? product, string? workloadCode, string? workload, DateTime? day, long? first, long? second, long? third) =>
        string.Join('|', kind, customer.ToString("D"), name, productId, product, workloadCode, workload, day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), first, second, third);

    private static int IndexOf(byte[] bytes, string text)
    {
        var at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text));
        Assert.True(at > 0, "the page carries its data");
        return at;
    }

    private static string ReplaceFirst(string page, string text, string replacement)
    {
        var at = page.IndexOf(text, page.IndexOf("\n[\"c\",", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(at > 0, "the page's data has " + text);
        return page[..at] + replacement + page[(at + text.Length)..];
    }

    // The last customer's line, gone: the end's counts no longer match.
    private static string RemoveLastFigure(string page)
    {
        var end = page.IndexOf("\n{\"end\":true", StringComparison.Ordinal);
        var start = page.LastIndexOf("\n[\"c\",", end, StringComparison.Ordinal);
        return page[..start] + page[end..];
    }
}
