using System.Text.RegularExpressions;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Export-PCLicenseReport -Baseline as a script gives it: a file, the same file twice, Import-PCLicenseReport's figures,
/// an earlier processed date's rows, arrays of their own, nothing at all (a job's first month), and inputs it cannot
/// use, each an error that leaves the rest of the comparison and the report standing.
/// </summary>
public sealed class ExportPCLicenseReportBaselineTests : IDisposable
{
    private const string November = "& { Get-PCLicenseUsage; Get-PCLicenseDeployment }";
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pcu-baseline-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string File(string name) => Path.Combine(_directory.FullName, name);

    [Fact]
    public async Task A_file_the_same_file_again_its_figures_and_the_earlier_date_s_rows_give_the_same_comparison()
    {
        await using var scenario = await Start();
        var ways = new[]
        {
            ("file", "-Baseline $args[1]"),
            ("twice", "-Baseline $args[1], ([System.IO.FileInfo]::new($args[1])), $args[1]"),
            ("figures", "-Baseline (Import-PCLicenseReport -Path $args[1])"),
            ("rows", "-Baseline (& { Get-PCLicenseUsage -ProcessedDateTime 2026-10-01; Get-PCLicenseDeployment -ProcessedDateTime 2026-10-01 })"),
        };
        var pages = new Dictionary<string, string>();
        foreach (var (name, baseline) in ways)
        {
            var result = scenario.Run(November + " | Export-PCLicenseReport -Path $args[0] " + baseline, File(name + ".html"), October(scenario));
            Assert.Empty(result.Errors);
            Assert.Empty(result.Warnings);
            pages[name] = System.IO.File.ReadAllText(File(name + ".html"));
        }

        var expected = Headline(pages["file"]);
        Assert.Contains("Licenses inactive", expected.Keys);
        Assert.All(ways, w => Assert.Equal(expected, Headline(pages[w.Item1])));
        Assert.DoesNotContain("given more than once", pages["twice"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_to_compare_with_is_a_warning_and_the_report_is_written_without_the_section()
    {
        await using var scenario = await Start();
        foreach (var baseline in new[] { "$null", "@()", "@($null)" })
        {
            var result = scenario.Run(November + " | Export-PCLicenseReport -Path $args[0] -Baseline " + baseline, File("first.html"));

            Assert.Empty(result.Errors);
            Assert.Equal(["-Baseline names no earlier report that could be read: the page is written without the section that compares it."], result.Warnings);
            Assert.DoesNotContain("since-baseline", System.IO.File.ReadAllText(File("first.html")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task What_cannot_be_used_is_an_error_each_and_the_good_baselines_are_still_compared()
    {
        await using var scenario = await Start();
        var october = October(scenario);
        System.IO.File.WriteAllText(File("damaged.html"), System.IO.File.ReadAllText(october)[..5000]);

        var result = scenario.Run(
            November + " | Export-PCLicenseReport -Path $args[0] -Baseline $args[1], $args[2], $args[3], @{ Not = 'a row' }, (Get-PCLicenseUsage -GroupBy ProductName)",
            File("report.html"),
            File("missing-*.html"),
            File("damaged.html"),
            october);

        Assert.Equal(
            ["ReportFileNotFound", "ReportFileDamaged", "UnsupportedBaselineInput"],
            result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).Distinct());
        Assert.Contains("<h2>Since 2026-10-01</h2>", System.IO.File.ReadAllText(File("report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_array_in_the_list_is_an_earlier_report_of_its_own_and_several_make_trends()
    {
        await using var scenario = await Start();

        var result = scenario.Run(
            """
            $september = & { Get-PCLicenseUsage -ProcessedDateTime 2026-09-01; Get-PCLicenseDeployment -ProcessedDateTime 2026-09-01 }
            $october = & { Get-PCLicenseUsage -ProcessedDateTime 2026-10-01; Get-PCLicenseDeployment -ProcessedDateTime 2026-10-01 }
            & { Get-PCLicenseUsage; Get-PCLicenseDeployment } | Export-PCLicenseReport -Path $args[0] -Baseline $september, $october
            """,
            File("trend.html"));

        Assert.Empty(result.Errors);
        var page = System.IO.File.ReadAllText(File("trend.html"));
        Assert.Contains("<h2>Since 2026-10-01</h2>", page, StringComparison.Ordinal);
        var trend = Regex.Match(page, "(?s)<figure id=\"trend-licenses-inactive\".*?</figure>").Value;
        Assert.Equal(["2026-09-01", "2026-10-01", "2026-11-01"], Regex.Matches(trend, "class=\"point-label\"[^>]*>([^<]*)<").Select(m => m.Groups[1].Value));
    }

    private static Task<ModuleScenario> Start() => ModuleScenario.StartAsync(new SimulatorOptions { CustomerCount = 20, HistoryMonths = 2 });

    private string October(ModuleScenario scenario)
    {
        var path = File("october.html");
        if (!System.IO.File.Exists(path))
        {
            Assert.Empty(scenario.Run("& { Get-PCLicenseUsage -ProcessedDateTime 2026-10-01; Get-PCLicenseDeployment -ProcessedDateTime 2026-10-01 } | Export-PCLicenseReport -Path $args[0]", path).Errors);
        }

        return path;
    }

    // Each headline row's values, as the page gives them for sorting.
    private static Dictionary<string, string> Headline(string page)
    {
        var table = Regex.Match(page, "(?s)<section id=\"table-headline-changes\".*?</table>").Value;
        return Regex.Matches(table, "(?s)<tr><th scope=\"row\">([^<]*)</th>(.*?)</tr>")
            .ToDictionary(m => m.Groups[1].Value, m => string.Join('|', Regex.Matches(m.Groups[2].Value, "data-v=\"([^\"]*)\"").Select(v => v.Groups[1].Value)));
    }
}
